import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type RunningOidcProvider } from "@/e2e/oidc-provider/provider";
import { decryptSecret } from "@/lib/crypto/secrets";
import { closeDb, getDb } from "@/lib/db/client";
import { keyManagerClients } from "@/lib/db/schema";
import { createApplication } from "@/lib/services/applications/create-application";
import type { ServiceContext } from "@/lib/services/context";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { registrationSeams, sweepPendingRegistrations } from "@/lib/services/key-managers/client-registration";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";
import { createKeyManagerClient, listKeyManagerClients } from "@/lib/services/key-managers/key-manager-clients";
import { clientCredentialsToken } from "@/lib/services/key-managers/provider";
import { newId } from "@/lib/id";
import { adminCtx, userContext } from "../helpers";

/**
 * Dynamic client registration against a real provider (oidc-provider) when the process dies
 * or a write fails between the provider's answer and the row that makes the client active.
 */

let idp: RunningOidcProvider;
let consumer: ServiceContext;
let kmId: string;
let privateBefore: string | undefined;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  privateBefore = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
  await ensureDefaults();
  idp = await startOidcProvider();
  consumer = await userContext(["subscriber"], "kmr-sub");
  const km = await createKeyManager(
    { name: `crash-${suffix}`, issuer: idp.issuer, audiences: [idp.audience], registrationToken: idp.initialAccessToken },
    adminCtx,
  );
  kmId = km.id;
}, 60_000);

afterEach(() => {
  delete registrationSeams.afterRecord;
  delete registrationSeams.beforeActivate;
});

afterAll(async () => {
  if (privateBefore === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = privateBefore;
  await idp?.close();
  await closeDb();
});

/** The provider's live clients registered for this application (their names carry its name). */
function providerClientsOf(appName: string): string[] {
  return [...idp.registeredClients].filter(([, name]) => name.includes(`: ${appName} (`)).map(([id]) => id);
}

async function rowsOf(applicationId: string) {
  const db = await getDb();
  return db.select().from(keyManagerClients).where(eq(keyManagerClients.applicationId, applicationId));
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a registration that "crashes" (never returns) once the provider's answer is recorded. */
async function crashAfterRecord(applicationId: string, appName: string): Promise<void> {
  registrationSeams.afterRecord = () => new Promise<void>(() => {});
  void createKeyManagerClient(applicationId, { keyManagerId: kmId }, consumer).catch(() => {});
  await until(async () => (await rowsOf(applicationId)).find((r) => r.clientId && r.status === "pending"));
  delete registrationSeams.afterRecord;
  expect(providerClientsOf(appName)).toHaveLength(1);
}

describe("dynamic client registration survives a crash", () => {
  it("writes a pending row first, and a retry after a crash completes it: one client at the provider, one row", async () => {
    const name = `kmr-crash-${suffix}`;
    const app = await createApplication({ name }, consumer);
    await crashAfterRecord(app.id, name);

    const [pending] = await rowsOf(app.id);
    expect(pending).toMatchObject({ status: "pending", mode: "registered" });
    expect(pending.clientName).toContain(`[${pending.id}]`);
    // The answer is recorded encrypted; gateways and the application page do not see it yet.
    expect(decryptSecret(pending.registrationAccessTokenEncrypted!)).toBeTruthy();
    expect(pending.clientSecretEncrypted).not.toBe(null);
    expect((await listKeyManagerClients(app.id, consumer)).items).toEqual([]);

    const client = await createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer);
    expect(client.id).toBe(pending.id);
    expect(providerClientsOf(name)).toEqual([client.clientId]);
    const rows = await rowsOf(app.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "active", clientId: client.clientId });
    expect((await clientCredentialsToken(`${idp.issuer}/token`, client.clientId, client.clientSecret)).accessToken).toBeTruthy();
    expect((await listKeyManagerClients(app.id, consumer)).items.map((c) => c.clientId)).toEqual([client.clientId]);
    // Done: a further attempt is the usual conflict and registers nothing.
    await expect(createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer)).rejects.toMatchObject({ code: "conflict" });
    expect(providerClientsOf(name)).toHaveLength(1);
  });

  it("deletes the provider's client when the write that makes it active fails", async () => {
    const name = `kmr-fail-${suffix}`;
    const app = await createApplication({ name }, consumer);
    registrationSeams.beforeActivate = async () => {
      throw new Error("the database went away");
    };
    await expect(createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer)).rejects.toThrow("the database went away");
    expect(providerClientsOf(name)).toEqual([]);
    expect(await rowsOf(app.id)).toEqual([]);

    // And the next attempt registers normally.
    delete registrationSeams.beforeActivate;
    const client = await createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer);
    expect(providerClientsOf(name)).toEqual([client.clientId]);
  });

  it("the sweep deletes a crashed registration at the provider and drops rows the provider never answered", async () => {
    const name = `kmr-sweep-${suffix}`;
    const app = await createApplication({ name }, consumer);
    await crashAfterRecord(app.id, name);
    const [recorded] = await rowsOf(app.id);

    // A crash before the provider's answer was written: no client id, no token.
    const other = await createApplication({ name: `${name}-2` }, consumer);
    const db = await getDb();
    const unanswered = newId("kmc");
    await db.insert(keyManagerClients).values({
      id: unanswered,
      keyManagerId: kmId,
      applicationId: other.id,
      keyType: "production",
      mode: "registered",
      status: "pending",
      clientName: `Meridian: ${name}-2 (production) [${unanswered}]`,
    });
    // A recent one belongs to the request that may still run: a retry is told so.
    await expect(createKeyManagerClient(other.id, { keyManagerId: kmId }, consumer)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("in progress"),
    });

    // Within the grace period the sweep leaves both alone.
    await sweepPendingRegistrations({ keyManagerId: kmId });
    expect(await rowsOf(app.id)).toHaveLength(1);

    const swept = await sweepPendingRegistrations({ olderThanMs: 0, now: new Date(Date.now() + 1000), keyManagerId: kmId });
    expect(swept).toEqual({ deleted: 1, abandoned: 1, failed: 0 });
    expect(providerClientsOf(name)).toEqual([]);
    expect(idp.registeredClients.has(recorded.clientId!)).toBe(false);
    expect(await rowsOf(app.id)).toEqual([]);
    expect(await rowsOf(other.id)).toEqual([]);
  });

  it("a refused registration leaves no row and nothing at the provider", async () => {
    const name = `kmr-refused-${suffix}`;
    const app = await createApplication({ name }, consumer);
    const refusing = await startOidcProvider({ initialAccessToken: "another-token" });
    try {
      const km = await createKeyManager(
        { name: `refusing-${suffix}`, issuer: refusing.issuer, audiences: [refusing.audience], registrationToken: "wrong" },
        adminCtx,
      );
      await expect(createKeyManagerClient(app.id, { keyManagerId: km.id }, consumer)).rejects.toMatchObject({
        code: "upstream_unavailable",
        message: expect.stringContaining("refused the client registration"),
      });
      expect(refusing.registeredClients.size).toBe(0);
      expect(await rowsOf(app.id)).toEqual([]);
    } finally {
      await refusing.close();
    }
  });
});
