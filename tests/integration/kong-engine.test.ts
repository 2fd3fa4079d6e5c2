import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startKongEmulator, type KongEmulator } from "@/e2e/emulators/kong/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey, revokeApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { discoverEnvironment } from "@/lib/services/discovery/discover-environment";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { getJob } from "@/lib/services/jobs/get-job";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";
import { rotateSigningKey } from "@/lib/services/keys/signing-keys";
import { decideSubscription } from "@/lib/services/subscriptions/change-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { adminCtx, userContext } from "../helpers";

/** The deployment engine and key sync with the real Kong connector, against the Kong emulator. */
let publisher: ServiceContext;
let subscriber: ServiceContext;
let emulator: KongEmulator;
let backend: http.Server;
let backendUrl = "";
const workers: Worker[] = [];

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  publisher = await userContext(["admin", "publisher"], "kong-engine");
  subscriber = await userContext(["subscriber"], "kong-engine-sub");
  emulator = await startKongEmulator();
  backend = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await emulator.close();
  backend.closeAllConnections();
  await new Promise((r) => backend.close(r));
  await closeDb();
});
afterEach(() => emulator.faults.splice(0));

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deployed(scheme: "oauth2" | "apiKey", beforeDeploy?: (apiId: string) => Promise<void>) {
  const env = unique("kong");
  await createEnvironment(
    {
      name: env,
      type: "kong",
      mode: "read-write",
      displayName: env,
      publicUrls: [emulator.proxyUrl],
      config: { adminUrl: emulator.adminUrl },
    },
    adminCtx,
  );
  const context = `/${unique("pets")}`;
  const api = await createApi(
    {
      name: unique("Pets"),
      version: "v1",
      context,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Pets", version: "v1" },
        paths: {
          "/pets/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
              responses: { "200": { description: "ok" } },
            },
          },
        },
      }),
      endpoints: { production: `${backendUrl}/pets-backend`, sandbox: null, overrides: {} },
      security: { scheme, apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    } as never,
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, publisher);
  const revision = await createRevision(api.id, {}, publisher);
  await beforeDeploy?.(api.id);
  const [plan] = await planDeployment(api.id, { revisionId: revision.id, environments: [env] }, publisher);
  expect(plan.artifacts[0]).toMatchObject({ kind: "declarative-config", content: { _format_version: "3.0" } });
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, publisher);
  const done = await until(
    () => getDeployment(row.id, publisher),
    (d) => d.status === "deployed" || d.status === "failed",
  );
  expect(done.status).toBe("deployed");
  expect((done.reference as { invokeUrl?: string }).invokeUrl).toBe(`${emulator.proxyUrl}${context}/v1`);
  return { api, url: `${emulator.proxyUrl}${context}/v1/pets/7` };
}

describe("Kong through the deployment engine and key sync", () => {
  it("installs a subscriber's jwt credential, and the new public key after a rotation", async () => {
    workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
    const { api, url } = await deployed("oauth2");
    const app = await createApplication({ name: unique("kong-app") }, subscriber);
    const creds = await generateClientCredentials(app.id, { keyType: "production" }, subscriber);
    const tokenNow = async () =>
      (await issueClientCredentialsToken({ grantType: "client_credentials", clientId: creds.clientId, clientSecret: creds.clientSecret }))
        .access_token;
    const status = async (token: string) => (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;

    const before = await tokenNow();
    expect(await status(before)).toBe(401);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber);
    await until(
      () => status(before),
      (s) => s === 200,
    );

    await rotateSigningKey(adminCtx);
    const after = await tokenNow();
    await until(
      () => status(after),
      (s) => s === 200,
    );
    // As the plan says: one key per credential, so the previous key's tokens stop passing.
    expect(await status(before)).toBe(401);
  });

  it("gives applications subscribed before the deploy their jwt credential once the API is deployed", async () => {
    workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
    const app = await createApplication({ name: unique("kong-early-app") }, subscriber);
    const creds = await generateClientCredentials(app.id, { keyType: "production" }, subscriber);
    const { url } = await deployed("oauth2", async (apiId) => {
      await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, subscriber);
    });
    const token = (
      await issueClientCredentialsToken({ grantType: "client_credentials", clientId: creds.clientId, clientSecret: creds.clientSecret })
    ).access_token;
    await until(
      async () => (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status,
      (s) => s === 200,
    );
  });

  it("installs a subscriber's API key on its consumer", async () => {
    workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
    const { api, url } = await deployed("apiKey");
    const app = await createApplication({ name: unique("kong-key-app") }, subscriber);
    const { key } = await createApiKey(app.id, { keyType: "production", name: "k" }, subscriber);
    expect((await fetch(url, { headers: { "x-api-key": key } })).status).toBe(401);
    const sub = await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber);
    const status = async (k: string) => (await fetch(url, { headers: { "x-api-key": k } })).status;
    await until(
      () => status(key),
      (s) => s === 200,
    );

    // Blocking the subscription takes the key off the API; unblocking puts it back; revoking removes it.
    await decideSubscription(sub.id, "block", publisher);
    await until(
      () => status(key),
      (s) => s === 401,
    );
    await decideSubscription(sub.id, "unblock", publisher);
    await until(
      () => status(key),
      (s) => s === 200,
    );
    const { key: second, record: secondRecord } = await createApiKey(app.id, { keyType: "production", name: "k2" }, subscriber);
    await until(
      () => status(second),
      (s) => s === 200,
    );
    await revokeApiKey(app.id, secondRecord.id, subscriber);
    await until(
      () => status(second),
      (s) => s === 401,
    );
    expect(await status(key)).toBe(200);
  });

  it("discovers Kong's own services as New, Unchanged, Updated and Gone, and not the APIs Meridian deployed", async () => {
    workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
    const { api } = await deployed("apiKey");
    const env = unique("kong-disc");
    await createEnvironment(
      { name: env, type: "kong", mode: "read-only", displayName: env, config: { adminUrl: emulator.adminUrl } },
      adminCtx,
    );
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.adminUrl}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const names = [unique("billing"), unique("search")];
    for (const n of names) {
      await admin("POST", "/services", { name: n, url: `${backendUrl}/${n}` });
      await admin("POST", `/services/${n}/routes`, { name: `${n}-get`, methods: ["GET"], paths: [`~/${n}/(?<id>[^/]+)$`] });
    }
    const discover = async () => {
      const job = await discoverEnvironment(env, adminCtx);
      const done = await until(
        () => getJob(job.id, adminCtx),
        (j) => j.status === "succeeded" || j.status === "failed",
      );
      expect(done.status).toBe("succeeded");
      const { items } = await listDiscovered(env, adminCtx);
      return Object.fromEntries(items.map((i) => [i.name, i.state]));
    };
    const first = await discover();
    expect(first).toMatchObject({ [names[0]]: "new", [names[1]]: "new" });
    expect(Object.keys(first).some((n) => n.includes(api.id))).toBe(false);

    expect(await discover()).toMatchObject({ [names[0]]: "unchanged", [names[1]]: "unchanged" });
    await admin("PATCH", `/services/${names[0]}`, { path: "/billing-v2" });
    await admin("DELETE", `/routes/${names[1]}-get`);
    await admin("DELETE", `/services/${names[1]}`);
    expect(await discover()).toMatchObject({ [names[0]]: "updated", [names[1]]: "gone" });
  });
});
