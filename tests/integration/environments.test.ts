import { randomBytes } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeConnector } from "@/lib/connectors/fake/connector";
import { overrideConnector } from "@/lib/connectors/registry";
import { decryptSecret, isEncryptedSecret } from "@/lib/crypto/secrets";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, environments, gatewayInstances, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { SECRET_MASK } from "@/lib/services/environments/config-secrets";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { deleteEnvironment } from "@/lib/services/environments/delete-environment";
import { DEFAULT_ENVIRONMENT, ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import {
  getEnvironment,
  getEnvironmentSummary,
  listEnvironments,
  listEnvironmentSummaries,
} from "@/lib/services/environments/get-environment";
import { testEnvironment } from "@/lib/services/environments/test-environment";
import { updateEnvironment } from "@/lib/services/environments/update-environment";
import { listGatewayInstances } from "@/lib/services/gateways/list-instances";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { revokeGatewayToken } from "@/lib/services/gateways/revoke-gateway-token";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { verifyGatewayToken } from "@/lib/services/gateways/verify-gateway-token";
import { adminCtx, userContext } from "../helpers";
import { insertApiAllowingTiers, insertRow } from "../stand-ins";

// Migrating a fresh embedded database is the slow part: it belongs to the hook, not a test.
beforeAll(() => getDb());
afterAll(() => closeDb());

const restores: Array<() => void> = [];
afterEach(() => restores.splice(0).forEach((restore) => restore()));

const uniqueName = (label = "env") => `${label}-${randomBytes(4).toString("hex")}`;
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

function awsInput(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    type: "aws",
    displayName: "AWS Europe",
    mode: "read-write",
    region: "eu-west-1",
    publicUrls: ["https://api.example.com"],
    config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, endpoint: "http://127.0.0.1:9" },
    ...overrides,
  };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function rowOf(name: string) {
  const db = await getDb();
  const [row] = await db.select().from(environments).where(eq(environments.name, name));
  return row;
}

describe("first-start defaults", () => {
  it("creates the default built-in environment once, without a gateway token, even when run concurrently", async () => {
    const db = await getDb();
    const [{ before }] = await db.select({ before: count() }).from(environments);
    const results = await Promise.all([ensureDefaults(), ensureDefaults()]);
    expect((await ensureDefaults()).environment).toBe(false);
    const rows = await db.select().from(environments).where(eq(environments.name, DEFAULT_ENVIRONMENT.name));
    // On a shared PostgreSQL database another file may have started first.
    if (before === 0) {
      expect(results.filter((r) => r.environment)).toHaveLength(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        type: "builtin",
        mode: "write-only",
        publicUrls: ["http://localhost:8280"],
        gatewayTokenPrefix: null,
      });
    }
    expect(rows.length).toBeLessThanOrEqual(1);
  });
});

describe("creating environments", () => {
  it("stores secret fields encrypted and masks them on every read", async () => {
    const name = uniqueName("aws");
    const created = await createEnvironment(awsInput(name), adminCtx);
    expect(created.config.secretAccessKey).toBe(SECRET_MASK);
    expect(created.secrets.secretAccessKey).toEqual({ set: true });
    expect(created.config.accessKeyId).toBe("AKIAIOSFODNN7EXAMPLE");
    expect(created.config.stageName).toBe("meridian");

    const row = await rowOf(name);
    expect(isEncryptedSecret(row.config.secretAccessKey)).toBe(true);
    expect(JSON.stringify(row.config)).not.toContain(SECRET);
    expect(decryptSecret(row.config.secretAccessKey as string)).toBe(SECRET);

    const reads = [await getEnvironment(name, adminCtx), (await listEnvironments(adminCtx)).find((e) => e.name === name)];
    for (const read of reads) {
      expect(JSON.stringify(read)).not.toContain(SECRET);
      expect(read?.config.secretAccessKey).toBe(SECRET_MASK);
    }
    const db = await getDb();
    const audit = await db.select().from(auditEntries).where(eq(auditEntries.objectId, created.id));
    expect(audit.map((a) => a.action)).toEqual(["environment.create"]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it("refuses a duplicate name with a 400 field error and keeps the first", async () => {
    const name = uniqueName();
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    const error = await failure(createEnvironment(awsInput(name), adminCtx));
    expect(error.status).toBe(400);
    expect(error.fieldErrors?.name).toMatch(/already exists/);
    expect((await rowOf(name)).type).toBe("builtin");
  });

  it("refuses bad input on the fields and saves nothing", async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ type: "nginx" }, "type", /Unknown gateway type/],
      [{ name: "Bad_Name" }, "name", /lowercase/],
      [{ name: "x" }, "name", /2 to 63/],
      [{ name: "new" }, "name", /reserved/],
      [{ name: "plan" }, "name", /reserved/],
      [{ mode: "read-only", type: "builtin", config: {} }, "mode", /supports write-only only/],
      [{ publicUrls: ["ftp://example.com"] }, "publicUrls.0", /http/],
      [{ config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE" } }, "config.secretAccessKey", /secret access key/],
      [{ config: { region: "eu-west-1", roleArn: "arn:aws:iam::12:role/x" } }, "config.roleArn", /IAM role ARN/],
      [{ config: { region: "Europe", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET } }, "config.region", /Region code/],
      [
        { config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, endpoint: "localhost:4566" } },
        "config.endpoint",
        /URL/,
      ],
      [
        { config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, color: "red" } },
        "config",
        /Unrecognized key/,
      ],
      [{ mode: "write-only", discoveryIntervalMinutes: 15 }, "discoveryIntervalMinutes", /read-only or read-write/],
      [{ discoveryIntervalMinutes: 2 }, "discoveryIntervalMinutes", /5 minutes/],
    ];
    for (const [overrides, path, message] of cases) {
      const name = (overrides.name as string | undefined) ?? uniqueName("bad");
      const error = await failure(createEnvironment(awsInput(name, overrides), adminCtx));
      expect(error.status, JSON.stringify(overrides)).toBe(400);
      expect(error.fieldErrors?.[path], `${path} for ${JSON.stringify(overrides)}: ${JSON.stringify(error.fieldErrors)}`).toMatch(message);
      if (/^[a-z][a-z0-9-]{1,62}$/.test(name)) expect(await rowOf(name)).toBeUndefined();
    }
  });

  it("reports settings and connection errors together", async () => {
    const error = await failure(
      createEnvironment(
        { ...awsInput("Bad Name"), displayName: "", config: { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE" } },
        adminCtx,
      ),
    );
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["config.secretAccessKey", "displayName", "name"]);
    const name = uniqueName("aws");
    await createEnvironment(awsInput(name), adminCtx);
    const edit = await failure(updateEnvironment(name, { publicUrls: ["nope"], config: { endpoint: "nope" } }, adminCtx));
    expect(Object.keys(edit.fieldErrors ?? {}).sort()).toEqual(["config.endpoint", "publicUrls.0"]);
  });

  it("defaults the mode to the first one the connector supports", async () => {
    const created = await createEnvironment({ name: uniqueName(), type: "agent" }, adminCtx);
    expect(created.mode).toBe("write-only");
    expect(created.displayName).toBe(created.name);
  });

  it("is refused to publishers, who read summaries without config", async () => {
    const publisher = await userContext(["publisher"]);
    const name = uniqueName();
    expect((await failure(createEnvironment(awsInput(name), publisher))).code).toBe("forbidden");
    await createEnvironment(awsInput(name), adminCtx);
    expect((await failure(getEnvironment(name, publisher))).code).toBe("forbidden");
    const summary = await getEnvironmentSummary(name, publisher);
    expect(summary).not.toHaveProperty("config");
    expect((await listEnvironmentSummaries(publisher)).map((e) => e.name)).toContain(name);
    const subscriber = await userContext(["subscriber"]);
    expect((await failure(listEnvironmentSummaries(subscriber))).code).toBe("forbidden");
  });
});

describe("editing environments", () => {
  it("keeps a secret that the edit leaves blank or masked, and replaces one that it sets", async () => {
    const name = uniqueName("aws");
    await createEnvironment(awsInput(name), adminCtx);
    const before = (await rowOf(name)).config.secretAccessKey;

    const edited = await updateEnvironment(name, { config: { region: "eu-central-1", secretAccessKey: "" } }, adminCtx);
    expect(edited.config.region).toBe("eu-central-1");
    expect(edited.secrets.secretAccessKey.set).toBe(true);
    expect((await rowOf(name)).config.secretAccessKey).toBe(before);

    await updateEnvironment(name, { config: { ...edited.config } as Record<string, string> }, adminCtx);
    expect((await rowOf(name)).config.secretAccessKey).toBe(before);

    await updateEnvironment(name, { config: { secretAccessKey: "another-secret-key" } }, adminCtx);
    expect(decryptSecret((await rowOf(name)).config.secretAccessKey as string)).toBe("another-secret-key");
  });

  it("clears optional fields and refuses to clear a required secret", async () => {
    const name = uniqueName("kong");
    await createEnvironment(
      { name, type: "kong", config: { adminUrl: "http://kong:8001/", adminToken: "kong-admin-token", workspace: "team-a" } },
      adminCtx,
    );
    expect((await getEnvironment(name, adminCtx)).config.adminUrl).toBe("http://kong:8001");
    const cleared = await updateEnvironment(name, { config: { workspace: "", adminToken: null } }, adminCtx);
    expect(cleared.config).toEqual({ adminUrl: "http://kong:8001" });
    expect(cleared.secrets.adminToken.set).toBe(false);

    const envoy = uniqueName("envoy");
    await createEnvironment(
      {
        name: envoy,
        type: "envoy",
        config: { apiServerUrl: "https://k8s:6443", bearerToken: "t0ken", namespace: "gw", gatewayName: "eg" },
      },
      adminCtx,
    );
    const error = await failure(updateEnvironment(envoy, { config: { bearerToken: null } }, adminCtx));
    expect(error.fieldErrors?.["config.bearerToken"]).toMatch(/bearer token/);
  });

  it("never changes the name or the type, and refuses an unsupported mode", async () => {
    const name = uniqueName();
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    expect((await failure(updateEnvironment(name, { name: "renamed" }, adminCtx))).fieldErrors?.name).toMatch(/cannot change/);
    expect((await failure(updateEnvironment(name, { type: "aws" }, adminCtx))).fieldErrors?.type).toMatch(/cannot change/);
    expect((await failure(updateEnvironment(name, { mode: "read-write" }, adminCtx))).fieldErrors?.mode).toMatch(/write-only only/);
    const same = await updateEnvironment(name, { name, type: "builtin", displayName: "Renamed display" }, adminCtx);
    expect(same.displayName).toBe("Renamed display");
    expect((await failure(updateEnvironment(uniqueName("ghost"), { displayName: "x" }, adminCtx))).code).toBe("not_found");
  });

  it("audits the names of the changed fields, never their values", async () => {
    const name = uniqueName("aws");
    const created = await createEnvironment(awsInput(name), adminCtx);
    await updateEnvironment(name, { description: "Prod", config: { secretAccessKey: "rotated-secret-value" } }, adminCtx);
    const db = await getDb();
    const [entry] = await db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, "environment.update"), eq(auditEntries.objectId, created.id)));
    expect(entry.details.changed).toEqual(expect.arrayContaining(["description", "config"]));
    expect(JSON.stringify(entry.details)).not.toContain("rotated-secret-value");
  });
});

describe("connection tests", () => {
  it("fails fast and on the endpoint field when the AWS endpoint is unreachable", async () => {
    const name = uniqueName("aws");
    await createEnvironment(awsInput(name), adminCtx);
    const result = await testEnvironment(name, adminCtx);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Could not reach the endpoint http:\/\/127\.0\.0\.1:9: the connection was refused/);
    expect(result.errors).toEqual([{ path: "config.endpoint", message: result.message }]);
    expect(result.durationMs).toBeLessThan(10_000);
    const view = await getEnvironment(name, adminCtx);
    expect(view.lastTest).toMatchObject({ ok: false });
    expect(view.health?.status).toBe("down");
  });

  it("gives the connector the decrypted config and stops it at the time limit", async () => {
    const fake = createFakeConnector("kong");
    restores.push(overrideConnector(fake));
    const name = uniqueName("kong");
    await createEnvironment({ name, type: "kong", config: { adminUrl: "http://kong:8001", adminToken: "s3cret-token" } }, adminCtx);
    expect((await testEnvironment(name, adminCtx)).ok).toBe(true);
    expect(fake.calls.at(-1)?.config.adminToken).toBe("s3cret-token");
    expect((await getEnvironment(name, adminCtx)).health?.status).toBe("healthy");

    fake.answerTestsWith(async () => ({
      ok: false,
      message: "Kong refused the admin token.",
      fieldErrors: { adminToken: "Kong refused the admin token." },
    }));
    const refused = await testEnvironment(name, adminCtx);
    expect(refused.errors).toEqual([{ path: "config.adminToken", message: "Kong refused the admin token." }]);
  });

  it("reports the last heartbeat for pull gateways", async () => {
    const name = uniqueName("gw");
    const env = await createEnvironment({ name, type: "builtin" }, adminCtx);
    expect((await testEnvironment(name, adminCtx)).message).toMatch(/No gateway instance has sent a heartbeat/);
    await recordHeartbeat(env.id, { instanceId: "gw-1", region: "eu", appliedVersion: 0 });
    const ok = await testEnvironment(name, adminCtx);
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/1 healthy instance of 1/);
  });
});

describe("gateway tokens", () => {
  it("are shown once, verified by hash, replaced on rotation and revoked", async () => {
    const name = uniqueName("gw");
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    const first = await rotateGatewayToken(name, adminCtx);
    expect(first.token).toMatch(/^mgw_[A-Za-z0-9_-]{40,}$/);
    expect(first.token.startsWith(first.prefix)).toBe(true);
    expect((await verifyGatewayToken(first.token)).name).toBe(name);
    const db = await getDb();
    const stored = await db
      .select()
      .from(gatewayTokens)
      .where(eq(gatewayTokens.environmentId, (await rowOf(name)).id));
    expect(stored.map((t) => t.name)).toEqual(["primary"]);
    expect(stored[0].tokenHash).not.toContain(first.token.slice(4));
    expect((await getEnvironment(name, adminCtx)).gatewayToken?.prefix).toBe(first.prefix);

    const second = await rotateGatewayToken(name, adminCtx);
    expect((await failure(verifyGatewayToken(first.token))).code).toBe("invalid_token");
    expect((await verifyGatewayToken(second.token)).name).toBe(name);

    await revokeGatewayToken(name, adminCtx);
    expect((await failure(verifyGatewayToken(second.token))).code).toBe("invalid_token");
    expect((await getEnvironment(name, adminCtx)).gatewayToken).toBeNull();
    await revokeGatewayToken(name, adminCtx);
    expect((await failure(verifyGatewayToken("mgw_not-a-real-token"))).code).toBe("invalid_token");
    expect((await failure(verifyGatewayToken("mpat_wrong-kind"))).code).toBe("invalid_token");
  });

  it("exist only for pull gateways and only admins issue them", async () => {
    const name = uniqueName("aws");
    await createEnvironment(awsInput(name), adminCtx);
    expect((await failure(rotateGatewayToken(name, adminCtx))).code).toBe("conflict");
    const gw = uniqueName("gw");
    await createEnvironment({ name: gw, type: "agent" }, adminCtx);
    expect((await failure(rotateGatewayToken(gw, await userContext(["publisher"])))).code).toBe("forbidden");
  });
});

describe("gateway instances", () => {
  it("lists heartbeats with healthy or stale and the applied versus current version", async () => {
    const name = uniqueName("gw");
    const env = await createEnvironment({ name, type: "builtin" }, adminCtx);
    await recordHeartbeat(env.id, { instanceId: "gw-a", region: "eu-west", appliedVersion: 0 });
    const db = await getDb();
    // A deployment would bump it; the instances only read it.
    await db.update(environments).set({ snapshotVersion: 1 }).where(eq(environments.id, env.id));
    expect((await recordHeartbeat(env.id, { instanceId: "gw-b", appliedVersion: 1 })).snapshotVersion).toBe(1);
    await db
      .update(gatewayInstances)
      .set({ lastSeenAt: new Date(Date.now() - 5 * 60_000) })
      .where(eq(gatewayInstances.instanceId, "gw-a"));

    const list = await listGatewayInstances(name, adminCtx);
    expect(list.snapshotVersion).toBe(1);
    expect(list.items.map((i) => [i.instanceId, i.status, i.appliedVersion, i.upToDate])).toEqual([
      ["gw-b", "healthy", 1, true],
      ["gw-a", "stale", 0, false],
    ]);
    expect((await getEnvironment(name, adminCtx)).health).toMatchObject({ status: "degraded" });

    // A second heartbeat of an instance updates its row.
    await recordHeartbeat(env.id, { instanceId: "gw-a", region: "eu-west", appliedVersion: 1 });
    expect((await listGatewayInstances(name, adminCtx)).items.every((i) => i.status === "healthy" && i.upToDate)).toBe(true);
    expect((await failure(recordHeartbeat(env.id, { instanceId: "", appliedVersion: -1 }))).fieldErrors).toHaveProperty("instanceId");
  });

  it("forgets instances silent for a day when a new one appears", async () => {
    const env = await createEnvironment({ name: uniqueName("gw"), type: "builtin" }, adminCtx);
    await recordHeartbeat(env.id, { instanceId: "old", appliedVersion: 0 });
    const db = await getDb();
    await db
      .update(gatewayInstances)
      .set({ lastSeenAt: new Date(Date.now() - 2 * 86400_000) })
      .where(eq(gatewayInstances.environmentId, env.id));
    await recordHeartbeat(env.id, { instanceId: "new", appliedVersion: 0 });
    const rows = await db.select().from(gatewayInstances).where(eq(gatewayInstances.environmentId, env.id));
    expect(rows.map((r) => r.instanceId)).toEqual(["new"]);
  });
});

describe("deleting environments", () => {
  it("deletes the environment with its instances, and 404s after", async () => {
    const name = uniqueName("gw");
    const env = await createEnvironment({ name, type: "builtin" }, adminCtx);
    await recordHeartbeat(env.id, { instanceId: "gw-1", appliedVersion: 0 });
    await deleteEnvironment(name, adminCtx);
    expect(await rowOf(name)).toBeUndefined();
    const db = await getDb();
    expect(await db.select().from(gatewayInstances).where(eq(gatewayInstances.environmentId, env.id))).toHaveLength(0);
    expect((await failure(deleteEnvironment(name, adminCtx))).code).toBe("not_found");
  });

  it("is refused with 409 while something is deployed there, and allowed once it is undeployed", async () => {
    const name = uniqueName("aws");
    const env = await createEnvironment(awsInput(name), adminCtx);
    const id = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;
    const [apiId, revisionId, deploymentId] = [id("api"), id("rev"), id("dep")];
    // The APIs and deployment features own these tables; stand-ins replace them if they have not landed.
    const cleanUps = [
      await insertApiAllowingTiers(apiId, "Orders", []),
      await insertRow(
        "api_revisions",
        { id: revisionId, api_id: apiId },
        "create table api_revisions (id text primary key, api_id text not null)",
      ),
      await insertRow(
        "deployments",
        { id: deploymentId, api_id: apiId, revision_id: revisionId, environment_id: env.id, status: "deployed" },
        "create table deployments (id text primary key, api_id text, revision_id text, environment_id text not null, status text not null)",
      ),
    ];
    const db = await getDb();
    try {
      const error = await failure(deleteEnvironment(name, adminCtx));
      expect(error.status).toBe(409);
      expect(error.message).toMatch(/1 API is deployed to/);
      expect(await rowOf(name)).toBeDefined();

      await db.execute(sql`update deployments set status = 'undeployed' where id = ${deploymentId}`);
      await deleteEnvironment(name, adminCtx);
      expect(await rowOf(name)).toBeUndefined();
    } finally {
      for (const cleanUp of cleanUps.reverse()) await cleanUp();
    }
  });
});
