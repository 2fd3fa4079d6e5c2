import { z } from "zod";
import { getDescriptor } from "@/lib/connectors/registry";
import { hashToken, randomToken } from "@/lib/crypto/hash";
import type { DbOrTx } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { gatewayTokens, type Environment } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";

/** Gateway tokens are prefixed so that secret scanners and logs can tell them apart. */
export const GATEWAY_TOKEN_PREFIX = "mgw_";
/** Characters kept in clear to tell tokens apart in the portal. */
export const GATEWAY_TOKEN_SHOWN_CHARS = GATEWAY_TOKEN_PREFIX.length + 6;
/**
 * The token that the environment's single-token endpoint (`/environments/{name}/token`) issues,
 * rotates and revokes; every other named token is left alone by it.
 */
export const PRIMARY_GATEWAY_TOKEN = "primary";
/** Tokens one environment may hold: one per gateway or replica group is the intended use. */
export const MAX_GATEWAY_TOKENS = 100;

export const gatewayTokenNameSchema = z
  .string()
  .trim()
  .min(1, "Name the token (for example the gateway or replica group that uses it).")
  .max(64, "Use at most 64 characters.")
  .regex(/^[\w .:@()/-]+$/, "Use letters, digits, spaces and . _ : @ ( ) / - only.");

export interface IssuedGatewayToken {
  id: string;
  name: string;
  /** The secret: returned once, stored only as a hash. */
  token: string;
  prefix: string;
  createdAt: string;
}

/** Only gateways that pull from Meridian authenticate with a gateway token. */
export function assertPullGateway(row: Environment): void {
  const descriptor = getDescriptor(row.type);
  if (descriptor.capabilities.delivery !== "pull") {
    throw new AppError(
      "conflict",
      `${descriptor.label} environments are reached by Meridian with their connection settings; they have no gateway token.`,
    );
  }
}

/** Inserts a new named token for an environment (in the caller's transaction). */
export async function insertGatewayToken(
  tx: DbOrTx,
  env: Environment,
  name: string,
  createdBy: string | null,
): Promise<IssuedGatewayToken> {
  const token = `${GATEWAY_TOKEN_PREFIX}${randomToken(32)}`;
  const prefix = token.slice(0, GATEWAY_TOKEN_SHOWN_CHARS);
  try {
    const [row] = await tx
      .insert(gatewayTokens)
      .values({ id: newId("gwt"), environmentId: env.id, name, tokenHash: hashToken(token), prefix, createdBy })
      .returning();
    return { id: row.id, name: row.name, token, prefix, createdAt: row.createdAt.toISOString() };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `Environment "${env.name}" already has a gateway token named "${name}".`);
    throw error;
  }
}
