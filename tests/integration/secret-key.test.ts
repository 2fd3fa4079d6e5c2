import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDescriptor } from "@/lib/connectors/registry";
import { decryptSecret, encryptSecret, parseSecretKey, resetSecretKeyCache } from "@/lib/crypto/secrets";
import { closeDb, getDb } from "@/lib/db/client";
import { apiKeys, keyManagerClients, keyManagers, settings } from "@/lib/db/schema";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { getActiveSigningKey } from "@/lib/services/keys/signing-keys";
import { ensureSecretKey, SECRET_KEY_CHECK_SETTING, SecretKeyMismatchError } from "@/lib/services/maintenance/ensure-secret-key";
import { adminCtx, userContext } from "../helpers";
import { runScript } from "./processes";

const ORIGINAL = { key: process.env.MERIDIAN_SECRET_KEY, previous: process.env.MERIDIAN_SECRET_KEY_PREVIOUS };
const NEW_KEY = randomBytes(32).toString("hex");
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

function useKeys(key: string | undefined, previous?: string): void {
  process.env.MERIDIAN_SECRET_KEY = key;
  if (previous) process.env.MERIDIAN_SECRET_KEY_PREVIOUS = previous;
  else delete process.env.MERIDIAN_SECRET_KEY_PREVIOUS;
  resetSecretKeyCache();
}

/** Every value shaped like an encrypted secret, in every text or JSON column of every table. */
async function everyStoredSecret(): Promise<string[]> {
  const db = await getDb();
  const columns = (await db.execute(
    sql`select table_name, column_name from information_schema.columns where table_schema = current_schema() and data_type in ('text', 'jsonb', 'json', 'character varying')`,
  )) as unknown as Array<{ table_name: string; column_name: string }>;
  const rows = Array.isArray(columns) ? columns : ((columns as unknown as { rows: typeof columns }).rows ?? []);
  const found: string[] = [];
  for (const { table_name, column_name } of rows) {
    const result = (await db.execute(
      sql`select ${sql.identifier(column_name)}::text as v from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text like '%v1.%'`,
    )) as unknown;
    const values = (Array.isArray(result) ? result : ((result as { rows: unknown[] }).rows ?? [])) as Array<{ v: string | null }>;
    for (const { v } of values)
      for (const m of (v ?? "").matchAll(/v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*/g)) found.push(m[0]);
  }
  return found;
}

function decryptsWith(stored: string, raw: string): boolean {
  try {
    decryptSecret(stored, parseSecretKey(raw));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await getDb();
  // The first start with a key records its check value.
  await ensureSecretKey();
});
afterAll(async () => {
  // Leave the database as other test files expect it: every secret under the suite's key.
  useKeys(ORIGINAL.key, NEW_KEY);
  await ensureSecretKey().catch(() => {});
  useKeys(ORIGINAL.key, ORIGINAL.previous);
  await closeDb();
});

describe("the secret key of a shared database", () => {
  it("records a check value, never the key, and refuses a replica that starts with another key", async () => {
    const db = await getDb();
    const [row] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY_CHECK_SETTING));
    const stored = JSON.stringify(row.value);
    expect(row.value).toMatchObject({ check: expect.any(String), algorithm: "HMAC-SHA256" });
    expect(stored).not.toContain(ORIGINAL.key!);
    expect(await ensureSecretKey()).toEqual({ recorded: false, reencrypted: 0 });

    useKeys(randomBytes(32).toString("hex"));
    try {
      const refused = await ensureSecretKey().then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(SecretKeyMismatchError);
      expect((refused as Error).message).toMatch(
        /MERIDIAN_SECRET_KEY is not the key this database's secrets are written with: refusing to start/,
      );
      expect((refused as Error).message).toMatch(/MERIDIAN_SECRET_KEY_PREVIOUS/);
    } finally {
      useKeys(ORIGINAL.key);
    }
  });

  it("re-encrypts every secret under the new key on rotation, then refuses the old key", async () => {
    // Secrets of each kind: an environment's credentials, the signing key, an API key.
    const env = `rot-${randomBytes(3).toString("hex")}`;
    await createEnvironment(
      {
        name: env,
        type: "aws",
        mode: "write-only",
        config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, endpoint: "http://127.0.0.1:9" },
      },
      adminCtx,
    );
    await getActiveSigningKey();
    const owner = await userContext(["subscriber"]);
    const app = await createApplication({ name: `rot-${randomBytes(3).toString("hex")}` }, owner);
    const { key: apiKey, record } = await createApiKey(app.id, { name: "ci", keyType: "production" }, owner);
    // An external key manager's registration token, and a client's secret and registration token.
    const seedDb = await getDb();
    const kmId = `kmg_rot${randomBytes(4).toString("hex")}`;
    await seedDb.insert(keyManagers).values({
      id: kmId,
      name: `rot-${kmId.slice(7)}`,
      displayName: "Rotation provider",
      issuer: "https://idp.example.test",
      jwksUri: "https://idp.example.test/jwks",
      tokenEndpoint: "https://idp.example.test/token",
      registrationTokenEncrypted: encryptSecret("initial-access-token"),
    });
    await seedDb.insert(keyManagerClients).values({
      id: `kmc_rot${randomBytes(4).toString("hex")}`,
      keyManagerId: kmId,
      applicationId: app.id,
      keyType: "production",
      mode: "registered",
      clientId: "rotation-client",
      clientSecretEncrypted: encryptSecret("client-secret"),
      registrationAccessTokenEncrypted: encryptSecret("registration-access-token"),
    });
    const before = await everyStoredSecret();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.every((s) => decryptsWith(s, ORIGINAL.key!))).toBe(true);

    useKeys(NEW_KEY, ORIGINAL.key);
    const rotated = await ensureSecretKey();
    expect(rotated.recorded).toBe(true);
    expect(rotated.reencrypted).toBeGreaterThanOrEqual(before.length);

    const after = await everyStoredSecret();
    expect(after.length).toBe(before.length);
    expect(after.filter((s) => !decryptsWith(s, NEW_KEY))).toEqual([]);
    expect(after.filter((s) => decryptsWith(s, ORIGINAL.key!))).toEqual([]);
    const row = await getEnvironmentRowOrThrow(env);
    useKeys(NEW_KEY);
    expect(decryptConfig(getDescriptor("aws"), row.config).secretAccessKey).toBe(SECRET);
    const db = await getDb();
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, record.id));
    expect(decryptSecret(stored.secretEncrypted!)).toBe(apiKey);
    // Starting again with the new key alone is a no-op; the old key is refused from now on.
    expect(await ensureSecretKey()).toEqual({ recorded: false, reencrypted: 0 });
    useKeys(ORIGINAL.key);
    await expect(ensureSecretKey()).rejects.toBeInstanceOf(SecretKeyMismatchError);
  });
});

describe("replicas started on one database", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("refuse a second replica whose MERIDIAN_SECRET_KEY differs from the first's", { timeout: 120_000 }, async () => {
    // Two workers in turn on one embedded database (one process owns it at a time).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-key-"));
    dirs.push(dataDir);
    const env = { DATABASE_URL: "", MERIDIAN_DATA_DIR: dataDir, MERIDIAN_SECRET_KEY_PREVIOUS: "", LOG_LEVEL: "info" };
    const first = runScript("scripts/worker.ts", { ...env, MERIDIAN_SECRET_KEY: randomBytes(32).toString("hex") });
    const deadline = Date.now() + 90_000;
    while (!first.output().includes("worker started") && first.child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(first.output()).toContain("worker started");
    first.child.kill("SIGTERM");
    expect(await first.exit).toBe(0);

    const second = runScript("scripts/worker.ts", { ...env, MERIDIAN_SECRET_KEY: randomBytes(32).toString("hex") });
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain("MERIDIAN_SECRET_KEY is not the key this database's secrets are written with: refusing to start");
    expect(second.output()).not.toContain("worker started");
  });

  it("refuse to start on a PostgreSQL server without an explicit secret key and session secret", { timeout: 60_000 }, async () => {
    const unreachable = {
      DATABASE_URL: "postgres://meridian@127.0.0.1:1/none",
      MERIDIAN_SECRET_KEY: "",
      NEXTAUTH_SECRET: "",
      MERIDIAN_DATA_DIR: os.tmpdir(),
    };
    const web = runScript("scripts/start.ts", unreachable);
    expect(await web.exit).toBe(1);
    expect(web.output()).toContain("MERIDIAN_SECRET_KEY and NEXTAUTH_SECRET must be set explicitly");
    const withKey = runScript("scripts/start.ts", { ...unreachable, MERIDIAN_SECRET_KEY: NEW_KEY });
    expect(await withKey.exit).toBe(1);
    expect(withKey.output()).toMatch(/so NEXTAUTH_SECRET must be set explicitly/);
    const worker = runScript("scripts/worker.ts", unreachable);
    expect(await worker.exit).toBe(1);
    expect(worker.output()).toMatch(/so MERIDIAN_SECRET_KEY must be set explicitly/);
  });
});
