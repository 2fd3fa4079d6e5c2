import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getEnvironment } from "@/lib/services/environments/get-environment";
import { listGatewayInstances } from "@/lib/services/gateways/list-instances";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { createTier } from "@/lib/services/tiers/create-tier";
import { userContext } from "../helpers";

/** Agent environments in the control plane: immediate deployments, plan-time refusals for HAProxy, instances with their errors. */

let ctx: ServiceContext;
beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher", "subscriber"], "agent-deployer");
});
afterAll(() => closeDb());

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;
const DOC = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Stock", version: "v1" },
  paths: { "/items": { get: { responses: { "200": { description: "ok" } } } } },
});

async function agentEnvironment(gateway: "haproxy" | "custom"): Promise<string> {
  const name = unique(gateway);
  await createEnvironment(
    {
      name,
      type: "agent",
      mode: "write-only",
      displayName: `Agent ${name}`,
      config: { gateway },
      publicUrls: [`http://${name}.example.test`],
    },
    ctx,
  );
  return name;
}

async function apiOffering(tiers: string[]) {
  const api = await createApi(
    {
      definition: DOC,
      context: `/${unique("stock")}`,
      endpoints: { production: "http://127.0.0.1:9/backend", sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "x-api-key" },
      allowedTiers: tiers,
    },
    ctx,
  );
  const revision = await createRevision(api.id, { description: "one" }, ctx);
  return { api, revision };
}

describe("agent environments", () => {
  it("deploy at once, like the built-in gateway: the deployment is in the next snapshot", async () => {
    const env = await agentEnvironment("haproxy");
    const before = (await getEnvironment(env, ctx)).snapshotVersion;
    const { api, revision } = await apiOffering(["Gold"]);
    const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx);
    expect(row.status).toBe("deployed");
    expect((await getEnvironment(env, ctx)).snapshotVersion).toBeGreaterThan(before);
  });

  it("refuse at plan time what HAProxy cannot enforce, and deploy it to a custom agent", async () => {
    const quota = unique("Quota").replace(/-/g, "_");
    await createTier({ name: quota, requests: 100, unit: "minute", burst: 100, monthlyQuota: 1000 }, ctx);
    const haproxy = await agentEnvironment("haproxy");
    const custom = await agentEnvironment("custom");
    const { api, revision } = await apiOffering([quota]);

    const [haproxyPlan, customPlan] = await planDeployment(api.id, { revisionId: revision.id, environments: [haproxy, custom] }, ctx);
    expect(haproxyPlan.refusals.map((r) => r.reason).join(" ")).toMatch(/monthly quota/);
    expect(customPlan.refusals).toEqual([]);

    const refused = await deployRevision(api.id, { revisionId: revision.id, environments: [haproxy] }, ctx).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("conflict");
    expect((refused as AppError).message).toMatch(/cannot enforce this revision: .*monthly quota/);

    const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [custom] }, ctx);
    expect(row.status).toBe("deployed");
  });

  it("list instances with the version they apply and the last error they report", async () => {
    const name = await agentEnvironment("haproxy");
    const env = await getEnvironment(name, ctx);
    const error = { version: "7", message: "HAProxy refused the configuration: unknown keyword", at: new Date().toISOString() };
    await recordHeartbeat(env.id, { instanceId: "edge-1", region: "eu", appliedVersion: 6, lastError: error });
    let listed = await listGatewayInstances(name, ctx);
    expect(listed.items[0]).toMatchObject({ instanceId: "edge-1", appliedVersion: 6, lastError: error });
    // A later heartbeat without an error clears it.
    await recordHeartbeat(env.id, { instanceId: "edge-1", region: "eu", appliedVersion: 7, lastError: null });
    listed = await listGatewayInstances(name, ctx);
    expect(listed.items[0]).toMatchObject({ appliedVersion: 7, lastError: null });
  });
});
