import { httpRequest } from "../http";
import { ConnectorError } from "../types";
import type { AzureSession } from "./client";
import { trustedCas } from "./client";
import { contentHash } from "./hash";

const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

/**
 * The OpenAPI 3 document Azure holds for an API, and its hash. Azure exports to a short-lived
 * blob link (format openapi+json-link, the one the SDK documents) that is fetched without the
 * bearer token: the link carries its own signature.
 */
export async function exportApi(
  s: AzureSession,
  apiId: string,
  signal?: AbortSignal,
): Promise<{ definition: Record<string, unknown>; contentHash: string }> {
  const result = await s.client.apiExport.get(s.rg, s.service, apiId, "openapi+json-link", "true", { abortSignal: signal });
  const link = result.value?.link;
  if (!link) throw new ConnectorError("unavailable", `Azure exported API ${apiId} without a link to the document.`);
  const ca = trustedCas(s.config);
  const res = await httpRequest(link, {
    signal: signal ?? AbortSignal.timeout(60_000),
    maxBody: MAX_EXPORT_BYTES,
    ...(ca ? { ca: ca.join("\n") } : {}),
  });
  if (res.status !== 200)
    throw new ConnectorError(
      res.status >= 500 ? "unavailable" : "invalid",
      `Fetching the export of API ${apiId} answered HTTP ${res.status}.`,
    );
  let definition: Record<string, unknown>;
  try {
    definition = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    throw new ConnectorError("invalid", `The export of API ${apiId} is not JSON.`);
  }
  return { definition, contentHash: contentHash(definition) };
}
