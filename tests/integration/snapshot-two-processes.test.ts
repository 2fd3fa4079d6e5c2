import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { snapshotDeltaSchema } from "@/lib/domain/gateway/snapshot-delta";
import { snapshotSchema } from "@/lib/domain/gateway/snapshot";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { adminCtx } from "../helpers";
import { TSX_BIN } from "./processes";

/**
 * Two web processes on one PostgreSQL database, each serving the real snapshot route, with
 * simulated gateways long-polling both; the change is made by a third process (this one). Every
 * gateway must receive the change exactly once, whichever process it waits on: that is what the
 * LISTEN/NOTIFY watcher of each process promises. The embedded database serves one process only,
 * so this needs a PostgreSQL server (CI's second pass runs it).
 */

const ROOT = path.resolve(__dirname, "../..");
const onPostgres = !!process.env.DATABASE_URL;
const GATEWAYS_PER_PROCESS = 40;

interface Web {
  child: ChildProcess;
  url: string;
}

function startWeb(): Promise<Web> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX_BIN, ["--conditions=react-server", "tests/integration/support/snapshot-web.ts"], {
      cwd: ROOT,
      // No safety poll within the test: only the notification can wake a waiting gateway.
      env: { ...process.env, LOG_LEVEL: "warn", MERIDIAN_SNAPSHOT_SAFETY_POLL_MS: "600000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the web process did not start:\n${out}`)), 60_000);
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the web process exited with ${code}:\n${out}`));
    });
  });
}

describe.runIf(onPostgres)("snapshot sync across two web processes on one PostgreSQL", () => {
  let token: string;
  let envId: string;
  const webs: Web[] = [];
  /** The version the gateways held before the first change: waited on, never built by either process. */
  let neverBuilt = "";

  beforeAll(async () => {
    await ensureDefaults();
    token = (await rotateGatewayToken("default", adminCtx)).token;
    const db = await getDb();
    envId = (await db.select().from(environments).where(eq(environments.name, "default")))[0].id;
    webs.push(...(await Promise.all([startWeb(), startWeb()])));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      webs.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.once("exit", () => resolve());
            w.child.kill("SIGTERM");
            setTimeout(() => (w.child.kill("SIGKILL"), resolve()), 5_000).unref();
          }),
      ),
    );
    await closeDb();
  });

  async function version(): Promise<string> {
    const db = await getDb();
    return String((await db.select({ v: environments.snapshotVersion }).from(environments).where(eq(environments.id, envId)))[0].v);
  }

  async function bump(): Promise<void> {
    const db = await getDb();
    await db.transaction((tx) => bumpSnapshotVersions(tx, [envId]));
  }

  function poll(web: Web, known: string | null, query: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (known !== null) headers["if-none-match"] = `"${known}"`;
    return fetch(`${web.url}/api/gateway/v1/snapshot?${query}`, { headers, signal: AbortSignal.timeout(40_000) });
  }

  it("wakes every gateway waiting on either process once, with the version made by a third", async () => {
    const known = await version();
    neverBuilt = known;
    // Both processes answer a first request (routes loaded, token checked) before the gateways wait.
    for (const web of webs) expect((await poll(web, known, "wait=0")).status).toBe(304);
    // Every gateway holds the current version and waits on one of the two processes.
    const waits = webs.flatMap((web) => Array.from({ length: GATEWAYS_PER_PROCESS }, () => poll(web, known, "wait=20")));
    await new Promise((r) => setTimeout(r, 2_000));
    const started = Date.now();
    await bump();
    const answers = await Promise.all(waits);
    const elapsed = Date.now() - started;
    const next = await version();
    expect(answers.map((r) => r.status)).toEqual(Array(waits.length).fill(200));
    const etags = new Set(answers.map((r) => r.headers.get("etag")));
    expect([...etags]).toEqual([`"${next}"`]);
    const bodies = await Promise.all(answers.map(async (r) => snapshotSchema.parse(await r.json())));
    expect(new Set(bodies.map((b) => b.version))).toEqual(new Set([next]));
    // Woken by the notification (the safety poll is off, and the wait would end after 20 s).
    expect(elapsed).toBeLessThan(10_000);

    // None receives it twice: waiting again with the new version, every one is told nothing changed.
    const again = await Promise.all(webs.flatMap((web) => Array.from({ length: 5 }, () => poll(web, next, "wait=1"))));
    expect(again.map((r) => r.status)).toEqual(Array(again.length).fill(304));
  }, 60_000);

  it("brings a gateway several versions behind up to date on the other process, and gives a forgotten version the whole snapshot", async () => {
    const [first, second] = webs;
    const old = await version();
    // The first process builds (and remembers) the old version; the second never saw it.
    expect((await poll(first, null, "")).status).toBe(200);
    for (let i = 0; i < 3; i++) await bump();
    const current = await version();

    const behind = await poll(first, old, "delta=1");
    expect(behind.status).toBe(200);
    const delta = snapshotDeltaSchema.parse(await behind.json());
    expect(delta.delta).toBe(true);
    expect(delta.version).toBe(current);

    const forgotten = await poll(second, neverBuilt, "delta=1");
    expect(forgotten.status).toBe(200);
    const whole = (await forgotten.json()) as Record<string, unknown>;
    expect(whole.delta).toBeUndefined();
    expect(snapshotSchema.parse(whole).version).toBe(current);
  }, 60_000);
});
