import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startK8sEmulator, type K8sEmulator } from "@/e2e/emulators/k8s/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { deleteSubscription } from "@/lib/services/subscriptions/change-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { userContext } from "../helpers";

/** The deployment engine and the key synchronisation with the real Envoy connector, against the Kubernetes emulator. */
let publisher: ServiceContext;
let subscriber: ServiceContext;
let emu: K8sEmulator;
let backend: http.Server;
let upstream = "";
const workers: Worker[] = [];

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  publisher = await userContext(["admin", "publisher"], "envoy-engine");
  subscriber = await userContext(["subscriber"], "envoy-engine-sub");
  emu = await startK8sEmulator({ controllerDelayMs: 10 });
  backend = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/stock`;
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
});
afterAll(async () => {
  await emu.close();
  backend.closeAllConnections();
  await new Promise((r) => backend.close(r));
  await closeDb();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function deployed(scheme: "apiKey" | "oauth2") {
  const env = unique("envoy");
  await createEnvironment(
    { name: env, type: "envoy", mode: "read-write", displayName: env, publicUrls: [emu.dataUrl], config: emu.config },
    publisher,
  );
  const context = unique("stock");
  const api = await createApi(
    {
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Stock", version: "v1" },
        paths: {
          "/items/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
              responses: { "200": { description: "ok" } },
            },
          },
        },
      }),
      name: unique("Stock"),
      version: "v1",
      context: `/${context}`,
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme, apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher);
  const revision = await createRevision(api.id, {}, publisher);
  workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, publisher);
  const done = await until(
    () => getDeployment(row.id, publisher),
    (d) => d.status === "deployed" || d.status === "failed",
  );
  expect(done.error ?? null).toBeNull();
  expect(done.status).toBe("deployed");
  return { api, url: `${emu.dataUrl}/${context}/v1/items/7` };
}

describe("deployment engine on Envoy Gateway (emulated)", () => {
  it("installs a subscriber's API key in the API's Secret and removes it when the subscription ends", async () => {
    const { api, url } = await deployed("apiKey");
    const app = await createApplication({ name: unique("app") }, subscriber);
    const sub = await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber);
    const { key } = await createApiKey(app.id, { keyType: "production", name: "envoy" }, subscriber);
    const status = () => fetch(url, { headers: { "x-api-key": key } }).then((r) => r.status);
    await until(status, (s) => s === 200);
    expect(await (await fetch(url, { headers: { "x-api-key": key } })).json()).toEqual({ path: "/stock/items/7" });
    await deleteSubscription(sub.id, subscriber);
    await until(status, (s) => s === 401);
  });

  it("writes the subscribed applications' client ids into the OAuth2 API's authorization rule", async () => {
    const { api } = await deployed("oauth2");
    const app = await createApplication({ name: unique("app") }, subscriber);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber);
    const { clientId } = await generateClientCredentials(app.id, { keyType: "production" }, subscriber);
    const rules = () =>
      Promise.resolve(
        [...emu.state.objects.values()]
          .filter((o) => o.kind === "SecurityPolicy" && o.metadata.labels?.["meridian.dev/api"] === api.id)
          .map((o) => JSON.stringify((o.spec as { authorization?: unknown }).authorization)),
      );
    const [written] = await until(rules, (r) => r.length === 1 && r[0].includes(clientId));
    expect(JSON.parse(written)).toEqual({
      defaultAction: "Deny",
      rules: [
        {
          name: "meridian-subscribed",
          action: "Allow",
          principal: { jwt: { provider: "meridian", claims: [{ name: "client_id", values: [clientId] }] } },
        },
      ],
    });
  });
});
