import { GetExportCommand } from "@aws-sdk/client-api-gateway";
import { ConnectorError } from "../types";
import { contentHash } from "./content-hash";
import type { AwsSession } from "./session";

/** A stage's OpenAPI 3 export and its hash: what really serves there, compared for drift. */
export async function exportStage(
  session: AwsSession,
  restApiId: string,
  stageName: string,
): Promise<{ definition: Record<string, unknown>; contentHash: string } | undefined> {
  const out = await session.sendOrMissing(new GetExportCommand({ restApiId, stageName, exportType: "oas30", accepts: "application/json" }));
  if (!out) return undefined;
  const text = new TextDecoder().decode(out.body ?? new Uint8Array());
  let definition: Record<string, unknown>;
  try {
    definition = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ConnectorError("unavailable", `API Gateway returned an export of ${restApiId} that is not JSON.`);
  }
  return { definition, contentHash: contentHash(definition) };
}
