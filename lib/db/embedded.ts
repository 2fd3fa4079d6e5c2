import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/**
 * The embedded database. A PGlite data directory belongs to one process at a time, so the
 * first process to open it also serves it on a loopback port (embedded-socket.ts takes turns
 * between clients and keeps transactions whole); every process, the owner included, then speaks
 * to it through the `postgres` driver. `embedded.json` in the data directory says where.
 */
export interface EmbeddedServer {
  url: string;
  /** Present only in the process that owns the data directory. */
  stop?: () => Promise<void>;
}

interface LockInfo {
  pid: number;
  port: number;
}

function lockPath(dataDir: string): string {
  return path.join(dataDir, "embedded.json");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function urlFor(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function readLiveLock(dataDir: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
    if (info.port && pidAlive(info.pid) && (await canConnect(info.port))) return info;
  } catch {
    // No lock, or a torn one: treated as absent.
  }
  return undefined;
}

/** Finds the process serving this data directory, or becomes it. */
export async function openEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  fs.mkdirSync(dataDir, { recursive: true });
  const live = await readLiveLock(dataDir);
  if (live) return { url: urlFor(live.port) };

  // An exclusive claim file decides the race between two processes starting together.
  const claim = path.join(dataDir, "embedded.claim");
  let fd: number;
  try {
    fd = fs.openSync(claim, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number(fs.readFileSync(claim, "utf8") || 0);
    if (owner && owner !== process.pid && pidAlive(owner)) {
      // Another process is opening it right now: wait for its lock.
      for (let i = 0; i < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const info = await readLiveLock(dataDir);
        if (info) return { url: urlFor(info.port) };
      }
      throw new Error(`The embedded database in ${dataDir} is held by process ${owner}, which does not serve it.`);
    }
    fs.rmSync(claim, { force: true });
    return openEmbeddedServer(dataDir);
  }
  fs.writeSync(fd, String(process.pid));
  fs.closeSync(fd);

  const { PGlite: PGliteClass } = await import("@electric-sql/pglite");
  const { EmbeddedSocketServer } = await import("./embedded-socket");
  const db: PGlite = await PGliteClass.create(path.join(dataDir, "pglite"));
  const server = new EmbeddedSocketServer(db);
  const port = await server.start(Number(process.env.MERIDIAN_EMBEDDED_DB_PORT || 0));
  const tmp = `${lockPath(dataDir)}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));
  fs.renameSync(tmp, lockPath(dataDir));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop().catch(() => {});
    await db.close().catch(() => {});
    fs.rmSync(lockPath(dataDir), { force: true });
    fs.rmSync(claim, { force: true });
  };
  return { url: urlFor(port), stop };
}
