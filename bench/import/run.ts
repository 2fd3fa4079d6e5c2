/**
 * Import and search benchmark of the publisher portal.
 *
 *   npx tsx bench/import/run.ts
 *
 * 1. Times the import of a 2 MB OpenAPI document (thousands of operations) through the service.
 * 2. Seeds 10,000 APIs owned by one publisher, then measures p50 and p95 of
 *    `GET /api/v1/apis?q=` (bearer token) and of the publisher's API list page (session cookie)
 *    against a running server.
 *
 * The script starts its own server (`npm start` on port 3302, data in /tmp/bench-import, the
 * usual build, made when missing) unless BENCH_URL names one already running on the same MERIDIAN_DATA_DIR.
 * Every request goes to this machine's loopback interface; loops are bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const PORT = Number(process.env.BENCH_PORT || 3302);
const BASE = process.env.BENCH_URL || `http://127.0.0.1:${PORT}`;
const DATA_DIR = path.resolve(process.env.MERIDIAN_DATA_DIR || "/tmp/bench-import");
const SEED_APIS = Number(process.env.BENCH_APIS || 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES || 200);
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS || 5);
const ADMIN_EMAIL = "admin@bench.test";
const ADMIN_PASSWORD = "Bench-admin-password-1";

process.env.MERIDIAN_DATA_DIR = DATA_DIR;
process.env.MERIDIAN_SECRET_KEY ??= "bench-secret-key-0123456789abcdef0123456789";
process.env.LOG_LEVEL ??= "warn";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (n=${sorted.length})`;
}

async function waitForHealth(deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${BASE}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`The server at ${BASE} did not become healthy.`);
}

function startServer(): ChildProcess {
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });
  console.log(`Starting a server on ${BASE} (data in ${DATA_DIR}; builds first if the sources changed)…`);
  const child = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      MERIDIAN_DATA_DIR: DATA_DIR,
      NEXTAUTH_URL: BASE,
      NEXTAUTH_SECRET: "bench-nextauth-secret-0123456789",
      MERIDIAN_ADMIN_EMAIL: ADMIN_EMAIL,
      MERIDIAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: "warn",
    },
  });
  return child;
}

/** Signs in through next-auth's credentials endpoint and returns the cookie header. */
async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const remember = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair.split("=");
      jar.set(k, v);
    }
  };
  const cookie = () => [...jar.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfResponse = await fetch(`${BASE}/api/auth/csrf`);
  remember(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const login = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  remember(login);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Sign-in of ${email} failed (${login.status}).`);
  return cookie();
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`${url} answered ${r.status}`);
  return performance.now() - started;
}

async function main() {
  const server = process.env.BENCH_URL ? undefined : startServer();
  const stop = () => {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    await waitForHealth(15 * 60_000);
    // Imported after MERIDIAN_DATA_DIR is set: this process reaches the database the server serves.
    const { closeDb, getDb } = await import("@/lib/db/client");
    const { apis } = await import("@/lib/db/schema");
    const { newId } = await import("@/lib/id");
    const { createUser } = await import("@/lib/services/users/create-user");
    const { createToken } = await import("@/lib/services/tokens/create-token");
    const { createApi, DEFAULT_CORS, DEFAULT_SECURITY } = await import("@/lib/services/apis/create-api");
    const { generateLargeDocument } = await import("@/tests/fixtures/openapi/generate-large");
    const { buildScratchDocument } = await import("@/lib/domain/openapi/scratch");
    const { extractOperations } = await import("@/lib/domain/openapi/operations");
    const { apiSearchText } = await import("@/lib/services/apis/search-text");

    const seedCtx = {
      actor: { id: "usr_bench_seed", email: "seed@bench.test", roles: ["admin" as const, "publisher" as const] },
      requestId: "bench",
    };
    const email = `publisher-${Date.now().toString(36)}@bench.test`;
    const password = "Bench-publisher-password-1";
    const { user } = await createUser({ email, roles: ["publisher"], password, name: "Bench publisher" }, seedCtx);
    const ctx = { actor: { id: user.id, email, roles: user.roles }, requestId: "bench" };

    // 1. Import of a 2 MB document through the service (parse, validate, normalize, store).
    const text = JSON.stringify(generateLargeDocument({ resources: 700 }));
    const times: number[] = [];
    let operations = 0;
    for (let i = 0; i < IMPORT_RUNS; i++) {
      const started = performance.now();
      const api = await createApi({ definition: text, context: `/bench-large-${i}`, name: `Large ${i}` }, ctx);
      times.push(performance.now() - started);
      operations = api.operationCount;
    }
    console.log(
      `\nImport of a ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} MB document with ${operations} operations, through the service: ${summary(times)}`,
    );

    // 2. Seed 10,000 APIs in batches (small documents: the list never reads them).
    const db = await getDb();
    const doc = buildScratchDocument({
      name: "Seeded",
      version: "1.0.0",
      operations: [
        { method: "get", path: "/items" },
        { method: "post", path: "/items" },
      ],
    });
    const ops = extractOperations(doc);
    const source = JSON.stringify(doc);
    const words = ["payments", "orders", "inventory", "shipping", "billing", "catalog", "customers", "search", "reviews", "loyalty"];
    const seedStarted = performance.now();
    for (let start = 0; start < SEED_APIS; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(SEED_APIS, start + 500); i++) {
        const word = words[i % words.length];
        const name = `${word[0].toUpperCase()}${word.slice(1)} service ${i}`;
        const tags = [word, i % 2 ? "internal" : "partner"];
        batch.push({
          id: newId("api"),
          name,
          searchText: apiSearchText({ name, context: `/${word}-${i}`, tags }),
          description: `Seeded API number ${i} for the ${word} domain.`,
          version: `v${1 + (i % 3)}`,
          context: `/${word}-${i}`,
          tags,
          endpoints: { production: `https://${word}.example.com`, sandbox: null, overrides: {} },
          security: DEFAULT_SECURITY,
          cors: DEFAULT_CORS,
          owners: [user.id],
          definition: doc,
          definitionSource: source,
          definitionFormat: "json" as const,
          sourceSpec: "openapi-3.0" as const,
          operations: ops,
          operationCount: ops.length,
          createdBy: user.id,
        });
      }
      await db.insert(apis).values(batch);
    }
    await db.execute((await import("drizzle-orm")).sql`analyze apis`);
    console.log(`Seeded ${SEED_APIS} APIs in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const { token } = await createToken({ name: "bench" }, ctx);
    const cookie = await signIn(email, password);
    await closeDb();

    const queries = [
      "",
      "pay",
      "orders service 12",
      "INVENTORY",
      "/shipping-77",
      "partner",
      "billing service 9999",
      "no-such-api-anywhere",
      "cat",
      "service 5",
    ];
    const bearer = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 20; i++) await timed(`${BASE}/api/v1/apis?q=${encodeURIComponent(queries[i % queries.length])}`, bearer);
    const apiTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++)
      apiTimes.push(await timed(`${BASE}/api/v1/apis?q=${encodeURIComponent(queries[i % queries.length])}&page=${1 + (i % 3)}`, bearer));
    console.log(`GET /api/v1/apis?q= with ${SEED_APIS} APIs: ${summary(apiTimes)}`);

    const page = { cookie };
    for (let i = 0; i < 10; i++) await timed(`${BASE}/publisher/apis?q=${encodeURIComponent(queries[i % queries.length])}`, page);
    const pageTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++)
      pageTimes.push(await timed(`${BASE}/publisher/apis?q=${encodeURIComponent(queries[i % queries.length])}&page=${1 + (i % 3)}`, page));
    console.log(`Publisher API list page (/publisher/apis?q=) with ${SEED_APIS} APIs: ${summary(pageTimes)}`);

    const largeId = (await (await fetch(`${BASE}/api/v1/apis?q=large 0`, { headers: bearer })).json()) as { items: Array<{ id: string }> };
    const opsTimes: number[] = [];
    for (let i = 0; i < 30; i++)
      opsTimes.push(await timed(`${BASE}/publisher/apis/${largeId.items[0].id}/operations?page=${1 + (i % 70)}`, page));
    console.log(`Operations page of the ${operations}-operation API (50 per page): ${summary(opsTimes)}`);
  } finally {
    stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
