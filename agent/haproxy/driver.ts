import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import type { AgentEventRecord } from "../kit/run-agent";
import { ValidationError, type AgentRequestSink, type CompiledFiles, type GatewayDriver, type GatewayStats } from "../kit/types";
import { compileHaproxy, MAP_FILES } from "./compile";
import { checkConfig, HaproxyProcess, haproxyBinary, replaceMap, showInfo } from "./haproxy-process";
import { HaproxyLogReader } from "./log-reader";

export interface HaproxyDriverOptions {
  /** Where haproxy.cfg, maps/ and keys/ are written, and the sockets made. */
  configDir: string;
  /** Where HAProxy listens for API traffic. */
  bind: { host: string; port: number };
  binary?: string;
  /** The master socket of an HAProxy someone else runs; without it the agent runs HAProxy itself. */
  externalMasterSocket?: string;
  /**
   * HAProxy's threads; by default one per CPU but one, left to this agent (it reads a log line per
   * request) and the upstreams beside it. On 2 CPUs that is 1: a second thread cost more in
   * cross-thread work (the shared log ring, the stick tables) than it gained.
   */
  threads?: number;
  /** Log what the driver does. */
  onNote?: (note: string) => void;
}

/**
 * The HAProxy agent's driver: compiles the snapshot (compile.ts), checks the files with
 * `haproxy -c` in a staging directory, and applies them. When only maps change (subscriptions,
 * API keys, revocations) it updates them over the admin socket, which takes effect at once and
 * keeps the stick tables (tier counters, verified tokens); anything else is a reload through the
 * master socket, where old workers finish their connections.
 */
export class HaproxyDriver implements GatewayDriver {
  readonly name = "HAProxy";
  private readonly binary: string;
  private readonly process: HaproxyProcess;
  private readonly logs = new HaproxyLogReader();
  private logTarget: string | null = null;
  /** What HAProxy serves now (null before the first apply). */
  private live: CompiledFiles | null = null;
  /** Operation labels of the compiled snapshots, for the log reader. */
  private checks = 0;

  constructor(private readonly options: HaproxyDriverOptions) {
    this.binary = options.binary ?? haproxyBinary();
    const dir = path.resolve(options.configDir);
    this.process = new HaproxyProcess(
      this.binary,
      path.join(dir, "haproxy.cfg"),
      options.externalMasterSocket ?? path.join(dir, "master.sock"),
      path.join(dir, "admin.sock"),
      !!options.externalMasterSocket,
    );
  }

  get adminSocket(): string {
    return this.process.adminSocket;
  }

  compile(snapshot: Snapshot): CompiledFiles {
    const compiled = compileHaproxy(snapshot, {
      bind: this.options.bind,
      adminSocket: this.process.adminSocket,
      logTarget: this.logTarget,
      threads: this.options.threads ?? defaultThreads(),
    });
    for (const note of compiled.notes) this.options.onNote?.(note);
    this.logs.setOperations(compiled.operations);
    return compiled.files;
  }

  async validate(files: CompiledFiles): Promise<void> {
    const staging = path.join(path.resolve(this.options.configDir), `.check-${process.pid}-${this.checks++}`);
    try {
      await writeFiles(staging, files);
      await checkConfig(this.binary, path.join(staging, "haproxy.cfg"));
    } catch (error) {
      throw new ValidationError(`HAProxy refused the configuration: ${(error as Error).message.replaceAll(staging, ".")}`);
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
  }

  async apply(files: CompiledFiles): Promise<void> {
    const dir = path.resolve(this.options.configDir);
    const live = this.live;
    const changed = Object.keys({ ...files, ...(live ?? {}) }).filter((name) => files[name] !== live?.[name]);
    if (changed.length === 0 && this.process.running) return;
    const mapNames = new Set<string>(Object.values(MAP_FILES));
    const onlyMaps = live !== null && this.process.running && changed.every((name) => mapNames.has(name));
    await writeFiles(dir, files);
    // Files of an earlier configuration (keys rotated out) are removed.
    if (live) for (const name of Object.keys(live)) if (!(name in files)) await fs.rm(path.join(dir, name), { force: true });
    if (onlyMaps) {
      for (const name of changed) await replaceMap(this.process.adminSocket, name, files[name] ?? "");
    } else if (this.process.running && live !== null) {
      await this.process.reload();
    } else {
      await this.process.start();
    }
    this.live = files;
  }

  async readStats(): Promise<GatewayStats> {
    const info = await showInfo(this.process.adminSocket);
    const pick = (k: string) => (info[k] === undefined ? null : Number(info[k]));
    return {
      version: info.Version ?? null,
      currentConnections: pick("CurrConns"),
      totalRequests: pick("CumReq"),
      uptimeSeconds: pick("Uptime_sec"),
    };
  }

  async startAnalytics(_record: (event: AgentEventRecord) => void, requests: AgentRequestSink): Promise<void> {
    this.logTarget = await this.logs.start(requests);
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await this.logs.stop();
  }
}

/** One HAProxy thread per CPU but one (at least one). */
export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/** Writes every file through a temporary name and a rename, so HAProxy never reads half a file. */
async function writeFiles(dir: string, files: CompiledFiles): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (!file.startsWith(dir + path.sep)) throw new Error(`A compiled file may not leave the configuration directory: ${name}`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, content, { mode: name.endsWith(".pem") || name.endsWith(".map") ? 0o600 : 0o644 });
    await fs.rename(temp, file);
  }
}
