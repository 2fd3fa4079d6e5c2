import type { DiscoveredApi, DeploymentRef, ObservedState } from "../types";
import { exportApi } from "./api-export";
import { azureSession } from "./client";
import { azureConfigSchema } from "./descriptor";
import { isNotFound, toConnectorError } from "./errors";

const EXPORT_CONCURRENCY = 4;

/** Every current API of the service (all pages), each exported as OpenAPI 3 with its hash. */
export async function discoverOnAzure(raw: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<DiscoveredApi[]> {
  const config = azureConfigSchema.parse(raw);
  const s = await azureSession(config);
  const signal = options.signal;
  const apis: Array<{ id: string; name: string; version?: string; path: string; serviceUrl?: string }> = [];
  try {
    // The SDK's iterator follows nextLink until the listing ends.
    for await (const api of s.client.api.listByService(s.rg, s.service, { abortSignal: signal })) {
      // Revisions other than the current one are drafts or history, not what is served.
      if (api.isCurrent === false || !api.name) continue;
      apis.push({
        id: api.name,
        name: api.displayName ?? api.name,
        version: api.apiVersion ?? undefined,
        path: api.path ?? "",
        serviceUrl: api.serviceUrl ?? undefined,
      });
    }
  } catch (error) {
    throw toConnectorError(error, "listing APIs");
  }
  const found: DiscoveredApi[] = new Array(apis.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < apis.length; i = next++) {
      const api = apis[i];
      try {
        const exported = await exportApi(s, api.id, signal);
        found[i] = {
          externalId: api.id,
          name: api.name,
          ...(api.version ? { version: api.version } : {}),
          context: `/${api.path}`,
          definition: exported.definition,
          upstreams: api.serviceUrl ? [api.serviceUrl] : [],
          contentHash: exported.contentHash,
        };
      } catch (error) {
        throw toConnectorError(error, `exporting API ${api.id}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPORT_CONCURRENCY, apis.length) }, worker));
  return found;
}

/** Whether the deployed API still exists, and the hash of what Azure now holds for it. */
export async function observeOnAzure(raw: Record<string, unknown>, ref: DeploymentRef): Promise<ObservedState> {
  const config = azureConfigSchema.parse(raw);
  const s = await azureSession(config);
  const apiId = ref.ids.apiId;
  try {
    const api = await s.client.api.get(s.rg, s.service, apiId);
    const exported = await exportApi(s, apiId);
    return {
      exists: true,
      contentHash: exported.contentHash,
      details: {
        apiId,
        path: api.path,
        apiVersion: api.apiVersion,
        serviceUrl: api.serviceUrl,
        subscriptionRequired: api.subscriptionRequired,
      },
    };
  } catch (error) {
    if (isNotFound(error)) return { exists: false };
    throw toConnectorError(error, `reading API ${apiId}`);
  }
}
