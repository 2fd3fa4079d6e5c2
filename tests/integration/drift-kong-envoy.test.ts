import { randomBytes } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startK8sEmulator, type K8sEmulator } from "@/e2e/emulators/k8s/server";
import { startKongEmulator, type KongEmulator } from "@/e2e/emulators/kong/server";
import { objectsApi } from "@/lib/connectors/envoy/cluster";
import { envoyConnector } from "@/lib/connectors/envoy/connector";
import { kongConnector } from "@/lib/connectors/kong/connector";
import { envoyConfigSchema } from "@/lib/connectors/envoy/descriptor";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, jobs } from "@/lib/db/schema";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { adoptLive } from "@/lib/services/drift/adopt-live";
import { checkDriftNow, getDeploymentDrift, listEnvironmentDrift } from "@/lib/services/drift/get-drift";
import { reapplyDeployment } from "@/lib/services/drift/reapply-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { and, eq, sql } from "drizzle-orm";
import { userContext } from "../helpers";

/**
 * Drift detection on Kong (with a database and DB-less) and Envoy Gateway, against their
 * emulators: changes made behind Meridian's back with the vendors' own APIs.
 */
let ctx: ServiceContext;
let subscriber: ServiceContext;
let kong: KongEmulator;
let kongDbless: KongEmulator;
let konnect: KongEmulator;
const CONTROL_PLANE = "0f3c2b1a-7d6e-4f5a-8b9c-0d1e2f3a4b5c";
let k8s: K8sEmulator;
let worker: Worker;
const suffix = randomBytes(3).toString("hex");
const kongEnv = `kong-drift-${suffix}`;
const kongDblessEnv = `kong-dbless-drift-${suffix}`;
const konnectEnv = `konnect-drift-${suffix}`;
const envoyEnv = `envoy-drift-${suffix}`;

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "drift-kong-envoy");
  subscriber = await userContext(["subscriber"], "drift-kong-envoy-sub");
  kong = await startKongEmulator();
  kongDbless = await startKongEmulator({ mode: "dbless" });
  konnect = await startKongEmulator({ controlPlanes: [CONTROL_PLANE], konnectTokens: ["kpat_drift"] });
  k8s = await startK8sEmulator({ controllerDelayMs: 10 });
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
  await createEnvironment(
    {
      name: kongEnv,
      type: "kong",
      mode: "read-write",
      displayName: kongEnv,
      publicUrls: [kong.proxyUrl],
      config: { adminUrl: kong.adminUrl },
    },
    ctx,
  );
  await createEnvironment(
    {
      name: kongDblessEnv,
      type: "kong",
      mode: "read-write",
      displayName: kongDblessEnv,
      publicUrls: [kongDbless.proxyUrl],
      config: { adminUrl: kongDbless.adminUrl, mode: "dbless" },
    },
    ctx,
  );
  await createEnvironment(
    {
      name: konnectEnv,
      type: "kong",
      mode: "read-write",
      displayName: konnectEnv,
      config: { mode: "konnect", adminUrl: konnect.adminUrl, adminToken: "kpat_drift", controlPlaneId: CONTROL_PLANE },
    },
    ctx,
  );
  await createEnvironment(
    { name: envoyEnv, type: "envoy", mode: "read-write", displayName: envoyEnv, publicUrls: [k8s.dataUrl], config: k8s.config },
    ctx,
  );
  worker = startWorker({ tasks: [], handlers: JOB_HANDLERS });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await kong?.close();
  await kongDbless?.close();
  await konnect?.close();
  await k8s?.close();
  await closeDb();
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;

async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (accept(v)) return v;
    if (Date.now() - start > ms) throw new Error(`not reached: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deployed(env: string, scheme: "apiKey" | "oauth2" = "apiKey") {
  const context = unique("stock");
  const api = await createApi(
    {
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Stock", version: "v1" },
        paths: { "/items": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      name: unique("Stock"),
      version: "v1",
      context: `/${context}`,
      endpoints: { production: "http://127.0.0.1:9/stock", sandbox: null, overrides: {} },
      security: { scheme, apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    ctx,
  );
  await changeLifecycle(api.id, { action: "publish" }, ctx);
  const revision = await createRevision(api.id, {}, ctx);
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx);
  const done = await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "deployed" || d.status === "failed",
  );
  expect(done.status, done.error ?? "").toBe("deployed");
  return { api, deployment: done, ref: done.reference as { ids: Record<string, string> } };
}

/** A subscriber with a key, and key synchronisation done (the key is on the gateway). */
async function subscribed(deploymentId: string, apiId: string, installed: () => Promise<boolean>) {
  const app = await createApplication({ name: unique("drift-app") }, subscriber);
  await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, subscriber);
  await createApiKey(app.id, { keyType: "production", name: "drift" }, subscriber);
  try {
    await until(installed, (ok) => ok);
  } catch (error) {
    // Not installed in time: say what the key synchronisation jobs of this deployment did.
    const db = await getDb();
    const syncs = await db
      .select({ status: jobs.status, attempts: jobs.attempts, error: jobs.error, result: jobs.result })
      .from(jobs)
      .where(and(eq(jobs.kind, "deployment.sync-keys"), sql`${jobs.payload}->>'deploymentId' = ${deploymentId}`));
    throw new Error(`${(error as Error).message}; key sync jobs: ${JSON.stringify(syncs)}`);
  }
}

async function reapplied(id: string) {
  const before = (await getDeployment(id, ctx)).updatedAt;
  await reapplyDeployment(id, ctx);
  const done = await until(
    () => getDeployment(id, ctx),
    (d) => (d.status === "deployed" || d.status === "failed") && d.updatedAt !== before,
  );
  expect(done.status, done.error ?? "").toBe("deployed");
}

const addedLines = (d: { diff: { lines: Array<{ kind: string; text: string }> } | null }) =>
  d.diff!.lines.filter((l) => l.kind === "added").map((l) => l.text.trim());

async function admin(emu: KongEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.adminUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
}

type KongEntity = Record<string, unknown> & {
  id: string;
  name?: string;
  config: Record<string, unknown>;
  consumer?: { id: string } | null;
};

describe("drift on Kong with a database (emulated)", () => {
  it(
    "stays in sync as subscribers come, finds changed routes, plugins and tier limits, re-applies, refuses to adopt, and shows a deleted service as Missing",
    { timeout: 90_000 },
    async () => {
      const { api, deployment, ref } = await deployed(kongEnv);
      const serviceId = ref.ids.serviceId;
      expect(await getDeploymentDrift(deployment.id, ctx)).toMatchObject({ state: "in_sync", appliedRevision: 1, desiredRevision: 1 });
      const plugins = async () =>
        ((await admin(kong, "GET", `/services/${serviceId}/plugins`))!.data as KongEntity[]).filter((p) => p.consumer);
      await subscribed(deployment.id, api.id, async () => (await plugins()).length === 1);
      // Key synchronisation wrote a consumer, its key and its tier limit: that is no drift.
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", diff: null });

      // As someone in Kong Manager would: one more method on a route, another key name on the key-auth plugin.
      const [route] = (await admin(kong, "GET", `/services/${serviceId}/routes`))!.data as KongEntity[];
      await admin(kong, "PATCH", `/routes/${route.id}`, { methods: ["GET", "DELETE"] });
      const keyAuth = ((await admin(kong, "GET", `/routes/${route.id}/plugins`))!.data as KongEntity[]).find((p) => p.name === "key-auth")!;
      await admin(kong, "PATCH", `/plugins/${keyAuth.id}`, { config: { ...keyAuth.config, key_names: ["x-api-key", "apikey"] } });
      const drifted = await checkDriftNow(deployment.id, ctx);
      expect(drifted).toMatchObject({ state: "drifted", canAdopt: false, appliedRevision: 1 });
      const added = addedLines(drifted);
      expect(added).toContain('"DELETE"');
      expect(added.some((l) => l.includes('"apikey"'))).toBe(true);
      // Under the artifacts they belong to.
      const live = await kongConnector.readLive!({ adminUrl: kong.adminUrl }, deployment.reference as never);
      const artifact = (kind: string, name: string) => live.artifacts.find((a) => a.kind === kind && a.name === name)?.content;
      expect(artifact("route", String(route.name))).toMatchObject({ methods: ["GET", "DELETE"] });
      expect(artifact("plugin", `route ${String(route.name)}: key-auth`)).toMatchObject({ config: { key_names: ["x-api-key", "apikey"] } });
      const db = await getDb();
      const audits = await db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.objectId, deployment.id), eq(auditEntries.action, "deployment.drift")));
      expect(audits.map((a) => a.details)).toEqual([expect.objectContaining({ from: "in_sync", to: "drifted" })]);
      expect((await listEnvironmentDrift(kongEnv, ctx)).counts).toMatchObject({ drifted: 1, inSync: 0, missing: 0 });
      // Routes and plugins do not map back to an OpenAPI document: Adopt is refused, nothing changes.
      await expect(adoptLive(deployment.id, ctx)).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringContaining("cannot be mapped back"),
      });

      // Re-apply: Meridian's route and plugin back, in sync.
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", diff: null });
      expect(((await admin(kong, "GET", `/routes/${route.id}`)) as { methods: string[] }).methods).toEqual(["GET"]);

      // A subscriber's tier limit changed by hand is drift of the tier, named by its consumer.
      const [tierPlugin] = await plugins();
      const wanted = JSON.parse(ref.ids["tier:Gold"]) as Record<string, number>;
      const [limitKey] = Object.keys(wanted).filter((k) => typeof wanted[k] === "number");
      await admin(kong, "PATCH", `/plugins/${tierPlugin.id}`, { config: { ...tierPlugin.config, [limitKey]: wanted[limitKey] * 10 } });
      const tierDrift = await checkDriftNow(deployment.id, ctx);
      expect(tierDrift.state).toBe("drifted");
      expect(addedLines(tierDrift).some((l) => l.includes(`consumer ${tierPlugin.consumer!.id}`))).toBe(true);
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });

      // The service deleted there (its routes first, as Kong requires) is Missing, never in sync; re-applying brings it back.
      for (const r of (await admin(kong, "GET", `/services/${serviceId}/routes`))!.data as KongEntity[])
        await admin(kong, "DELETE", `/routes/${r.id}`);
      await admin(kong, "DELETE", `/services/${serviceId}`);
      const missing = await checkDriftNow(deployment.id, ctx);
      expect(missing).toMatchObject({ state: "missing", canAdopt: false, reason: expect.stringContaining(ref.ids.serviceName) });
      expect(missing.diff!.added).toBe(0);
      expect(missing.diff!.removed).toBeGreaterThan(0);
      await expect(adoptLive(deployment.id, ctx)).rejects.toMatchObject({ code: "conflict" });
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", appliedRevision: 1 });
    },
  );
});

describe("drift on DB-less Kong (emulated)", () => {
  it("finds a plugin changed in a posted declarative configuration, re-applies, and shows a removed service as Missing", async () => {
    const { deployment, ref } = await deployed(kongDblessEnv);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
    type Config = Record<string, unknown> & { services: KongEntity[]; routes: KongEntity[]; plugins: KongEntity[] };
    const current = async () => JSON.parse(((await admin(kongDbless, "GET", "/config")) as { config: string }).config) as Config;
    const post = async (config: Config) => admin(kongDbless, "POST", "/config", config);

    const config = await current();
    const keyAuth = config.plugins.find((p) => p.name === "key-auth")!;
    keyAuth.config = { ...keyAuth.config, hide_credentials: !keyAuth.config.hide_credentials };
    await post(config);
    const drifted = await checkDriftNow(deployment.id, ctx);
    expect(drifted.state).toBe("drifted");
    expect(addedLines(drifted)).toContain(`"hide_credentials": ${String(keyAuth.config.hide_credentials)},`);

    await reapplied(deployment.id);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });

    const without = await current();
    const serviceId = ref.ids.serviceId;
    const routeIds = new Set(without.routes.filter((r) => (r.service as string | { id: string }) === serviceId).map((r) => r.id));
    without.services = without.services.filter((s) => s.id !== serviceId);
    without.routes = without.routes.filter((r) => !routeIds.has(r.id));
    without.plugins = without.plugins.filter(
      (p) => (p.service as unknown) !== serviceId && !routeIds.has((p.route as unknown as string) ?? ""),
    );
    await post(without);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "missing" });
    await reapplied(deployment.id);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
  });
});

describe("drift on Kong Konnect (emulated)", () => {
  it("reads a control plane's core entities: a route changed there drifts, re-applying restores it, a deleted service is Missing", async () => {
    const { deployment, ref } = await deployed(konnectEnv);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
    const core = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${konnect.adminUrl}/v2/control-planes/${CONTROL_PLANE}/core-entities${path}`, {
        method,
        headers: { authorization: "Bearer kpat_drift", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res.status === 204 ? undefined : ((await res.json()) as { data: KongEntity[] });
    };
    const routes = async () => (await core("GET", `/services/${ref.ids.serviceId}/routes`))!.data;
    const [route] = await routes();
    await core("PATCH", `/routes/${route.id}`, { strip_path: true });
    const drifted = await checkDriftNow(deployment.id, ctx);
    expect(drifted.state).toBe("drifted");
    expect(addedLines(drifted)).toContain('"strip_path": true,');
    await reapplied(deployment.id);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
    for (const r of await routes()) await core("DELETE", `/routes/${r.id}`);
    await core("DELETE", `/services/${ref.ids.serviceId}`);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "missing" });
  });
});

describe("drift on Envoy Gateway (emulated)", () => {
  it(
    "stays in sync as keys are installed, finds an HTTPRoute edited by another field manager, re-applies, refuses to adopt, and shows deleted routes as Missing",
    { timeout: 90_000 },
    async () => {
      const { api, deployment, ref } = await deployed(envoyEnv);
      expect(await getDeploymentDrift(deployment.id, ctx)).toMatchObject({ state: "in_sync", appliedRevision: 1 });
      const config = envoyConfigSchema.parse(k8s.config);
      const cluster = await objectsApi(config);
      const namespace = ref.ids.namespace;
      const secret = () => cluster.read({ apiVersion: "v1", kind: "Secret", metadata: { name: ref.ids.keySecret, namespace } });
      await subscribed(deployment.id, api.id, async () => Object.keys(((await secret()) as { data?: object }).data ?? {}).length === 1);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", diff: null });

      // As `kubectl apply --server-side --force-conflicts` would: a header set on every request of the first route.
      const [routeName] = ref.ids.routes.split(",");
      const header = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: routeName, namespace } };
      const route = (await cluster.read(header)) as KubernetesObject & { spec: { rules: Array<Record<string, unknown>> } };
      const rules = route.spec.rules.map((r) => ({
        ...r,
        filters: [
          ...((r.filters as unknown[]) ?? []),
          { type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-edited", value: "by-hand" }] } },
        ],
      }));
      await cluster.patch(
        { ...header, spec: { ...route.spec, rules } },
        undefined,
        undefined,
        "kubectl",
        true,
        "application/apply-patch+yaml",
      );
      const drifted = await checkDriftNow(deployment.id, ctx);
      expect(drifted).toMatchObject({ state: "drifted", canAdopt: false });
      expect(addedLines(drifted)).toContain('"name": "x-edited",');
      const live = await envoyConnector.readLive!(k8s.config, deployment.reference as never);
      expect(JSON.stringify(live.artifacts.find((a) => a.kind === "HTTPRoute" && a.name === routeName)?.content)).toContain("x-edited");
      await expect(adoptLive(deployment.id, ctx)).rejects.toMatchObject({ code: "conflict" });

      // Re-apply takes Meridian's fields back from the other field manager.
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
      expect(JSON.stringify(await cluster.read(header))).not.toContain("x-edited");

      // Every route deleted there: Missing; re-applying brings them back.
      for (const name of ref.ids.routes.split(",")) await cluster.delete({ ...header, metadata: { name, namespace } });
      const missing = await checkDriftNow(deployment.id, ctx);
      expect(missing).toMatchObject({ state: "missing", reason: expect.stringContaining(routeName) });
      expect(missing.diff!.removed).toBeGreaterThan(0);
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
    },
  );

  it("does not count the subscribed clients' authorization rule, which key synchronisation writes, as drift", async () => {
    const { api, deployment, ref } = await deployed(envoyEnv, "oauth2");
    const cluster = await objectsApi(envoyConfigSchema.parse(k8s.config));
    const policies = async () =>
      (
        (await cluster.list(
          "gateway.envoyproxy.io/v1alpha1",
          "SecurityPolicy",
          ref.ids.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          `meridian.dev/api=${ref.ids.apiLabel}`,
        )) as {
          items: Array<{ spec: { authorization?: { rules?: Array<{ principal: unknown }> } } }>;
        }
      ).items;
    const app = await createApplication({ name: unique("drift-oauth-app") }, subscriber);
    const { clientId } = await generateClientCredentials(app.id, { keyType: "production" }, subscriber);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber);
    await until(
      policies,
      (list) => list.length > 0 && list.every((p) => JSON.stringify(p.spec.authorization?.rules ?? []).includes(clientId)),
    );
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", diff: null });
  });
});
