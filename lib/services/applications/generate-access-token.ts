import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { oauthClients } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { grantScopes, signAccessToken, type TokenResponse } from "@/lib/services/keys/issue-token";
import { OAuthError } from "@/lib/services/keys/oauth-error";
import { parseInput } from "@/lib/services/validate";
import { getOwnedApplicationOrThrow } from "./get-application";
import { keyTypeSchema } from "./schemas";

export const generateAccessTokenSchema = z.object({
  keyType: keyTypeSchema.default("production"),
  scope: z
    .string()
    .trim()
    .max(1000)
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "Scopes are names separated by single spaces.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/**
 * An access token for one of the caller's applications, as the client credentials grant would
 * issue it (the same scopes granted or refused), without the secret: the portal's "generate a token" (the owner is signed in).
 */
export async function generateAccessToken(
  applicationId: string,
  input: unknown,
  ctx: ServiceContext,
): Promise<TokenResponse & { keyType: string; clientId: string }> {
  const { keyType, scope } = parseInput(generateAccessTokenSchema, input);
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const db = await getDb();
  const [client] = await db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.applicationId, app.id), eq(oauthClients.keyType, keyType)))
    .limit(1);
  if (!client) throw new AppError("bad_request", `${app.name} has no ${keyType} credentials yet: generate them first.`);
  let granted: string | undefined;
  try {
    granted = await grantScopes(app.id, scope);
  } catch (error) {
    if (error instanceof OAuthError)
      throw new AppError("validation_failed", error.description, { fieldErrors: { scope: error.description } });
    throw error;
  }
  const token = await signAccessToken({ applicationId: app.id, clientId: client.clientId, keyType, scope: granted });
  await writeAudit(db, ctx, {
    action: "application.token",
    objectType: "application",
    objectId: app.id,
    details: { keyType, clientId: client.clientId },
  });
  return { ...token, keyType, clientId: client.clientId };
}
