import type { DeploymentRef, UndeployOptions } from "../types";
import { azureSession, type AzureSession } from "./client";
import { azureConfigSchema } from "./descriptor";
import { isNotFound, toConnectorError } from "./errors";

const LRO_POLL_MS = 250;

/** Whether any API (any version of it) still belongs to the version set. */
export async function versionSetInUse(s: AzureSession, versionSetId: string, signal?: AbortSignal): Promise<boolean> {
  for await (const api of s.client.api.listByService(s.rg, s.service, { abortSignal: signal })) {
    if (api.apiVersionSetId?.toLowerCase().endsWith(`/apiversionsets/${versionSetId.toLowerCase()}`)) return true;
  }
  return false;
}

/**
 * Deletes the API (its policies, operations and product links go with it, and its revisions
 * too), the products made for its tiers with their subscriptions, then the version set once no
 * API uses it. "Not found" anywhere counts as already done.
 */
export async function undeployFromAzure(raw: Record<string, unknown>, ref: DeploymentRef, options: UndeployOptions = {}): Promise<void> {
  const config = azureConfigSchema.parse(raw);
  const s = await azureSession(config);
  const { client, rg, service } = s;
  const signal = options.signal;
  const attempt = async (doing: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      if (!isNotFound(error)) throw toConnectorError(error, doing);
    }
  };

  const apiId = ref.ids.apiId;
  if (apiId) {
    await attempt(`deleting API ${apiId}`, () =>
      client.api.beginDeleteAndWait(rg, service, apiId, "*", {
        deleteRevisions: true,
        abortSignal: signal,
        updateIntervalInMs: LRO_POLL_MS,
      }),
    );
    await options.onStep?.("API deleted", apiId);
  }
  for (const [key, productId] of Object.entries(ref.ids)) {
    if (!key.startsWith("product:")) continue;
    await attempt(`deleting product ${productId}`, () =>
      client.product.delete(rg, service, productId, "*", { deleteSubscriptions: true, abortSignal: signal }),
    );
    await options.onStep?.("Product deleted", productId);
  }
  const versionSetId = ref.ids.versionSetId;
  if (versionSetId) {
    let inUse = false;
    await attempt("listing APIs", async () => {
      inUse = await versionSetInUse(s, versionSetId, signal);
    });
    // Other versions of the API still use it: it stays for them.
    if (!inUse) {
      await attempt(`deleting version set ${versionSetId}`, () =>
        client.apiVersionSet.delete(rg, service, versionSetId, "*", { abortSignal: signal }),
      );
      await options.onStep?.("Version set deleted", versionSetId);
    }
  }
}
