import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { oauthClients } from "@/lib/db/schema";
import { hashToken, randomToken } from "@/lib/crypto/hash";
import { newId, randomBase58 } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { requestKeySync } from "@/lib/services/deployments/request-key-sync";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { getOwnedApplicationOrThrow } from "./get-application";
import { keyTypeSchema } from "./schemas";

/**
 * Creates the application's OAuth2 client for a key type, or gives it a new secret (the old
 * one stops working at once). The secret is returned this once.
 */
export async function generateClientCredentials(
  applicationId: string,
  input: unknown,
  ctx: ServiceContext,
): Promise<{ clientId: string; clientSecret: string; keyType: string }> {
  const { keyType } = parseInput(z.object({ keyType: keyTypeSchema.default("production") }), input);
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const clientSecret = randomToken(32);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oauthClients)
      .values({
        id: newId("ocl"),
        applicationId: app.id,
        keyType,
        clientId: `mcl_${randomBase58(20)}`,
        secretHash: hashToken(clientSecret),
      })
      .onConflictDoUpdate({
        target: [oauthClients.applicationId, oauthClients.keyType],
        set: { secretHash: hashToken(clientSecret), secretRotatedAt: new Date() },
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "application.credentials",
      objectType: "application",
      objectId: app.id,
      details: { keyType, clientId: row.clientId },
    });
    // Gateways that list subscribed clients (Envoy Gateway) learn the new client id.
    await requestKeySync(tx, { applicationId: app.id });
    return { clientId: row.clientId, clientSecret, keyType };
  });
}
