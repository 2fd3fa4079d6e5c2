import type { ApiManagementClient } from "@azure/arm-apimanagement";
import { ConnectorError, type DeploymentInput, type DeploymentRef } from "../types";
import { exportApi } from "./api-export";
import { azureSession, type AzureSession } from "./client";
import { azureConfigSchema } from "./descriptor";
import { isNotFound, toConnectorError } from "./errors";
import { versionSetInUse } from "./remove";
import { translate } from "./translate";

// Azure sends Retry-After with long-running operations, which wins over this interval.
const LRO_POLL_MS = 250;

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function readOrMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Written on the API as its revision's description: the deployment attempt that wrote it last.
 * A first deployment whose worker died after writing the API finds it there on its retry and
 * knows the API as its own (a failure then removes it), not as one that was there before.
 */
export const deploymentMarker = (idempotencyKey: string) => `Meridian deployment ${idempotencyKey}`.slice(0, 256);

async function ignoreNotFound(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export function serviceResourceId(s: AzureSession): string {
  return `/subscriptions/${s.config.subscriptionId}/resourceGroups/${s.rg}/providers/Microsoft.ApiManagement/service/${s.service}`;
}

/** Azure operation names by "METHOD /urlTemplate", as the import named them. */
async function operationNames(
  client: ApiManagementClient,
  s: AzureSession,
  apiId: string,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const op of client.apiOperation.listByApi(s.rg, s.service, apiId, { abortSignal: signal })) {
    if (op.name && op.method && op.urlTemplate) names.set(`${op.method.toUpperCase()} ${op.urlTemplate}`, op.name);
  }
  return names;
}

/**
 * Writes the version set, the API (an OpenAPI import, a long-running operation), its policies
 * and, for API-key APIs, one product per tier. Every id is derived from the API, so a retry
 * rewrites the same resources. When a first deploy fails, what it created is deleted, also
 * what an earlier attempt of it created before its worker died (the API carries the attempt's
 * marker; a version set no API uses is nobody's); when a redeploy fails, the API stays in
 * place and the engine's retry converges it.
 */
export async function deployToAzure(input: DeploymentInput, previousRef?: DeploymentRef): Promise<DeploymentRef> {
  const t = translate(input);
  if (t.refusals.length) {
    throw new ConnectorError(
      "unsupported",
      `Azure API Management cannot enforce: ${t.refusals.map((r) => `${r.feature} (${r.reason})`).join("; ")}`,
    );
  }
  const config = azureConfigSchema.parse(input.config);
  const signal = input.signal;
  const step = async (name: string, detail?: string) => input.onStep?.(name, detail);
  const s = await azureSession(config);
  const { client, rg, service } = s;
  const { names } = t;
  const created: Array<{ what: string; undo: () => Promise<unknown> }> = [];
  let doing = "reading the API Management service";
  try {
    const svc = await client.apiManagementService.get(rg, service, { abortSignal: signal });
    const gatewayUrl = (svc.gatewayUrl ?? `https://${service}.azure-api.net`).replace(/\/+$/, "");

    const marker = deploymentMarker(input.idempotencyKey);
    doing = `reading API ${names.apiId}`;
    const current = await readOrMissing(() => client.api.get(rg, service, names.apiId, { abortSignal: signal }));
    const apiExisted = !!current;
    // Written by an earlier attempt of this first deployment: this deployment's own.
    const ownApi = !current || (!previousRef && current.apiRevisionDescription === marker);

    doing = `writing version set ${names.versionSetId}`;
    const versionSetExisted = await exists(() => client.apiVersionSet.get(rg, service, names.versionSetId, { abortSignal: signal }));
    await client.apiVersionSet.createOrUpdate(rg, service, names.versionSetId, t.versionSet, { abortSignal: signal });
    // A first deploy cannot tell its own version set from one an earlier attempt made: it removes it when no API uses it.
    if (!versionSetExisted || !previousRef) {
      created.push({
        what: "version set",
        undo: async () => {
          if (!(await versionSetInUse(s, names.versionSetId))) await client.apiVersionSet.delete(rg, service, names.versionSetId, "*");
        },
      });
    }
    await step("Version set", names.versionSetId);

    doing = `importing API ${names.apiId}`;
    await client.api.beginCreateOrUpdateAndWait(
      rg,
      service,
      names.apiId,
      { ...t.api, apiRevisionDescription: marker, apiVersionSetId: `${serviceResourceId(s)}/apiVersionSets/${names.versionSetId}` },
      { abortSignal: signal, updateIntervalInMs: LRO_POLL_MS },
    );
    // Deleting the API takes its policies and product links with it.
    if (ownApi)
      created.push({
        what: "API",
        undo: () =>
          client.api.beginDeleteAndWait(rg, service, names.apiId, "*", { deleteRevisions: true, updateIntervalInMs: LRO_POLL_MS }),
      });
    await step("API", `${names.apiId} at /${names.path}/${names.apiVersion}`);

    doing = `writing the policy of API ${names.apiId}`;
    await client.apiPolicy.createOrUpdate(
      rg,
      service,
      names.apiId,
      "policy",
      { format: "rawxml", value: t.apiPolicy },
      { abortSignal: signal },
    );
    await step("API policy");

    const wanted = Object.entries(t.operationPolicies);
    if (wanted.length || apiExisted) {
      doing = `writing operation policies of API ${names.apiId}`;
      const opNames = await operationNames(client, s, names.apiId, signal);
      for (const [key, xml] of wanted) {
        const opName = opNames.get(key);
        if (!opName) throw new ConnectorError("invalid", `Azure imported no operation for ${key}, which has its own policy.`);
        await client.apiOperationPolicy.createOrUpdate(
          rg,
          service,
          names.apiId,
          opName,
          "policy",
          { format: "rawxml", value: xml },
          { abortSignal: signal },
        );
      }
      // A redeploy clears the policies of operations that no longer differ from the API.
      if (apiExisted) {
        for (const [key, opName] of opNames) {
          if (!t.operationPolicies[key])
            await ignoreNotFound(() =>
              client.apiOperationPolicy.delete(rg, service, names.apiId, opName, "policy", "*", { abortSignal: signal }),
            );
        }
      }
      await step("Operation policies", `${wanted.length} operation(s) with their own policy`);
    }

    const ids: Record<string, string> = { apiId: names.apiId, versionSetId: names.versionSetId };
    for (const p of t.products) {
      doing = `writing product ${p.productId}`;
      const existed = await exists(() => client.product.get(rg, service, p.productId, { abortSignal: signal }));
      await client.product.createOrUpdate(rg, service, p.productId, p.product, { abortSignal: signal });
      // Products are named after the API: those of an API this deployment made are its own too.
      if (!existed || (ownApi && apiExisted))
        created.push({
          what: `product ${p.productId}`,
          undo: () => client.product.delete(rg, service, p.productId, "*", { deleteSubscriptions: true }),
        });
      await client.productApi.createOrUpdate(rg, service, p.productId, names.apiId, { abortSignal: signal });
      ids[`product:${p.tier}`] = p.productId;
    }
    if (t.products.length) await step("Products", t.products.map((p) => p.productId).join(", "));

    // Products of tiers the API no longer allows go, with their subscriptions.
    for (const [key, productId] of Object.entries(previousRef?.ids ?? {})) {
      if (!key.startsWith("product:") || ids[key]) continue;
      doing = `deleting product ${productId}`;
      await ignoreNotFound(() => client.product.delete(rg, service, productId, "*", { deleteSubscriptions: true, abortSignal: signal }));
    }

    doing = `exporting API ${names.apiId}`;
    const exported = await exportApi(s, names.apiId, signal);
    return {
      type: "azure",
      version: 1,
      ids,
      invokeUrl: `${gatewayUrl}/${names.path}/${names.apiVersion}`,
      contentHash: exported.contentHash,
      revisionNumber: input.revision.number,
    };
  } catch (error) {
    const failure = toConnectorError(error, doing);
    // Newest first; a failed clean-up is reported, never hides the cause.
    const leftovers: string[] = [];
    for (const c of created.reverse()) {
      try {
        await c.undo();
      } catch (undoError) {
        if (!isNotFound(undoError)) leftovers.push(c.what);
      }
    }
    if (leftovers.length) failure.message += ` Clean-up left behind: ${leftovers.join(", ")}.`;
    throw failure;
  }
}
