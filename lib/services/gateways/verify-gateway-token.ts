import { eq } from "drizzle-orm";
import { hashToken } from "@/lib/crypto/hash";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { toEnvironmentSummary, type EnvironmentSummary } from "@/lib/services/environments/environment-dto";
import { GATEWAY_TOKEN_PREFIX } from "./gateway-token";

/**
 * Resolves a gateway token (the gateway sync API's bearer) to its environment. The token is
 * looked up by its SHA-256 hash, so comparing it takes the same time whatever it is.
 */
export async function verifyGatewayToken(token: string): Promise<EnvironmentSummary> {
  const invalid = new AppError("invalid_token", "The gateway token is invalid or was revoked or rotated.");
  if (typeof token !== "string" || !token.startsWith(GATEWAY_TOKEN_PREFIX) || token.length > 200) throw invalid;
  const db = await getDb();
  const [row] = await db.select().from(environments).where(eq(environments.gatewayTokenHash, hashToken(token))).limit(1);
  if (!row) throw invalid;
  return toEnvironmentSummary(row);
}
