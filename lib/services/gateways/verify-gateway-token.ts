import { eq, getTableColumns } from "drizzle-orm";
import { hashToken } from "@/lib/crypto/hash";
import { getDb } from "@/lib/db/client";
import { environments, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { toEnvironmentSummary, type EnvironmentSummary } from "@/lib/services/environments/environment-dto";
import { GATEWAY_TOKEN_PREFIX } from "./gateway-token";

export interface AuthenticatedGateway {
  environment: EnvironmentSummary;
  /** The named token it presented (heartbeats record it beside the instance). */
  tokenId: string;
}

/**
 * Resolves a gateway token (the gateway sync API's bearer) to its environment and token. The
 * token is looked up by its SHA-256 hash, so comparing it takes the same time whatever it is.
 */
export async function authenticateGateway(token: string): Promise<AuthenticatedGateway> {
  const invalid = new AppError("invalid_token", "The gateway token is invalid or was revoked or rotated.");
  if (typeof token !== "string" || !token.startsWith(GATEWAY_TOKEN_PREFIX) || token.length > 200) throw invalid;
  const db = await getDb();
  const [row] = await db
    .select({ env: getTableColumns(environments), tokenId: gatewayTokens.id })
    .from(gatewayTokens)
    .innerJoin(environments, eq(environments.id, gatewayTokens.environmentId))
    .where(eq(gatewayTokens.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) throw invalid;
  return { environment: toEnvironmentSummary(row.env), tokenId: row.tokenId };
}

/** The environment a gateway token belongs to. */
export async function verifyGatewayToken(token: string): Promise<EnvironmentSummary> {
  return (await authenticateGateway(token)).environment;
}
