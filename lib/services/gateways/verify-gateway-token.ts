import { eq, getTableColumns } from "drizzle-orm";
import { config } from "@/lib/config";
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

/** Tokens checked lately, by hash: a fleet's long polls re-authenticate without a query each. */
const CACHED_TOKENS = 10_000;
const checked = new Map<string, { gateway: Promise<AuthenticatedGateway | null>; until: number }>();
/** Database look-ups of gateway tokens made by this process (for tests and the fleet benchmark). */
export const gatewayTokenLookups = { count: 0 };

/** Forgets every checked token, at once (a token was revoked or rotated, or an environment deleted). */
export function forgetCheckedGatewayTokens(): void {
  checked.clear();
}

/**
 * Resolves a gateway token (the gateway sync API's bearer) to its environment and token. The
 * token is looked up by its SHA-256 hash, so comparing it takes the same time whatever it is.
 * A valid token is remembered for MERIDIAN_GATEWAY_TOKEN_CACHE_MS (10 s): the environment it
 * returns may then be that old, so callers take moving values (the snapshot version) elsewhere.
 */
export async function authenticateGateway(token: string): Promise<AuthenticatedGateway> {
  const invalid = new AppError("invalid_token", "The gateway token is invalid or was revoked or rotated.");
  if (typeof token !== "string" || !token.startsWith(GATEWAY_TOKEN_PREFIX) || token.length > 200) throw invalid;
  const hash = hashToken(token);
  const ttl = config.gatewayTokenCacheMs;
  const hit = checked.get(hash);
  let pending = hit && hit.until > Date.now() ? hit.gateway : null;
  if (!pending) {
    // One look-up at a time per token: a fleet whose re-polls arrive together shares it.
    pending = lookUp(hash);
    checked.delete(hash);
    if (ttl > 0) {
      if (checked.size >= CACHED_TOKENS) checked.delete(checked.keys().next().value!);
      checked.set(hash, { gateway: pending, until: Date.now() + ttl });
    }
  }
  const gateway = await pending.catch((error: unknown) => {
    if (checked.get(hash)?.gateway === pending) checked.delete(hash);
    throw error;
  });
  if (gateway) return gateway;
  if (checked.get(hash)?.gateway === pending) checked.delete(hash);
  throw invalid;
}

async function lookUp(hash: string): Promise<AuthenticatedGateway | null> {
  const db = await getDb();
  gatewayTokenLookups.count++;
  const [row] = await db
    .select({ env: getTableColumns(environments), tokenId: gatewayTokens.id })
    .from(gatewayTokens)
    .innerJoin(environments, eq(environments.id, gatewayTokens.environmentId))
    .where(eq(gatewayTokens.tokenHash, hash))
    .limit(1);
  return row ? { environment: toEnvironmentSummary(row.env), tokenId: row.tokenId } : null;
}

/** The environment a gateway token belongs to. */
export async function verifyGatewayToken(token: string): Promise<EnvironmentSummary> {
  return (await authenticateGateway(token)).environment;
}
