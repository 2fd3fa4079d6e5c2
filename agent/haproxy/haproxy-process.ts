import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** HAProxy's binary: `HAPROXY_BIN`, else Debian's place, else whatever `haproxy` PATH finds. */
export function haproxyBinary(): string {
  if (process.env.HAPROXY_BIN) return process.env.HAPROXY_BIN;
  return fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
}

/** `haproxy -c -f <file>`: resolves when HAProxy takes the configuration, else rejects with its alerts. */
export async function checkConfig(binary: string, configFile: string): Promise<void> {
  try {
    await execFileAsync(binary, ["-c", "-q", "-f", configFile], { timeout: 30_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    const text = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim() || e.message;
    // The alerts, without HAProxy's notices and the directory the files were checked in.
    const alerts = text
      .split("\n")
      .filter((l) => /ALERT|error/i.test(l))
      .map((l) => l.replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*/, "").trim())
      .join(" ");
    throw new Error(alerts || text);
  }
}

/**
 * One command on an HAProxy CLI socket (admin socket or master socket), non-interactive: HAProxy
 * answers and closes. `payload` is sent after the command as `<<` data (map updates).
 */
export function socketCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`No answer from ${socketPath} to ${command.split("\n")[0]}`)), timeoutMs);
    socket.on("connect", () => socket.write(command.endsWith("\n") ? command : `${command}\n`));
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

/** `show info` as name → value. */
export async function showInfo(adminSocket: string): Promise<Record<string, string>> {
  const text = await socketCommand(adminSocket, "show info");
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * Replaces a map's entries atomically at run time: a new version is prepared, filled and
 * committed, so requests see the old entries or the new ones, never a half-filled map.
 */
export async function replaceMap(adminSocket: string, mapName: string, content: string): Promise<void> {
  const prepared = await socketCommand(adminSocket, `prepare map ${mapName}`);
  const version = /New version created:\s*(\d+)/.exec(prepared)?.[1];
  if (!version) throw new Error(`HAProxy did not prepare ${mapName}: ${prepared.trim()}`);
  const entries = content.split("\n").filter((l) => l.trim() !== "");
  // Payloads of a few thousand lines at a time.
  for (let i = 0; i < entries.length; i += 5_000) {
    const chunk = entries.slice(i, i + 5_000).join("\n");
    const answer = await socketCommand(adminSocket, `add map @${version} ${mapName} <<\n${chunk}\n\n`, 30_000);
    if (answer.trim() !== "") throw new Error(`HAProxy refused entries of ${mapName}: ${answer.trim().slice(0, 300)}`);
  }
  const committed = await socketCommand(adminSocket, `commit map @${version} ${mapName}`);
  if (committed.trim() !== "") throw new Error(`HAProxy did not commit ${mapName}: ${committed.trim()}`);
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * HAProxy in master-worker mode (`-W -S <master socket>`), started by the agent, or one already
 * running that the agent reloads through its master socket. A reload starts new workers on the
 * new configuration; the old ones finish the connections they hold, so none is dropped, and a
 * configuration the new workers cannot load leaves the old ones serving.
 */
export class HaproxyProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private stderr = "";

  constructor(
    readonly binary: string,
    readonly configFile: string,
    readonly masterSocket: string,
    readonly adminSocket: string,
    /** An HAProxy someone else runs: the agent only reloads it. */
    readonly external = false,
  ) {}

  get running(): boolean {
    return this.external || (this.child !== null && this.child.exitCode === null && this.child.signalCode === null);
  }

  async workerPid(): Promise<string | null> {
    return (await showInfo(this.adminSocket).catch(() => ({}) as Record<string, string>)).Pid ?? null;
  }

  async start(): Promise<void> {
    if (this.external) return this.reload();
    fs.rmSync(this.masterSocket, { force: true });
    const child = spawn(this.binary, ["-W", "-S", `${this.masterSocket},mode,600`, "-f", this.configFile], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child = child;
    child.stderr?.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString("utf8")).slice(-4000)));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await waitUntil(
      async () => {
        if (!this.running) throw new Error(`HAProxy exited: ${this.stderr.trim()}`);
        return (await this.workerPid()) !== null;
      },
      10_000,
      "HAProxy to start",
    ).catch((error) => {
      if (!this.running) throw new Error(`HAProxy did not start: ${this.stderr.trim().split("\n").slice(-3).join(" ")}`);
      throw error;
    });
  }

  /** Reloads through the master socket and waits until a new worker answers on the admin socket. */
  async reload(): Promise<void> {
    const before = await this.workerPid();
    await socketCommand(this.masterSocket, "reload");
    await waitUntil(
      async () => {
        const pid = await this.workerPid();
        return pid !== null && pid !== before;
      },
      10_000,
      "the new HAProxy worker",
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill("SIGUSR1");
    const timer = setTimeout(() => child.kill("SIGTERM"), 3_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }
}
