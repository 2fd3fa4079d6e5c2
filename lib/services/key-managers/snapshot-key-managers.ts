import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { keyManagerClients, keyManagers } from "@/lib/db/schema";
import type { ExternalClient, SnapshotKeyManager } from "@/lib/domain/gateway/snapshot";
import { acceptedKeyManagerIds } from "./api-key-managers";
import { environmentTrust } from "./environment-key-managers";

/**
 * What an environment's gateways must know to accept external tokens: the key managers that
 * some API deployed there accepts and the environment allows (no others: an issuer no API
 * accepts is not trusted at all),
 * and every client of those key managers with its application, so that an unsubscribed client
 * is told 403 rather than taken for a stranger.
 */
export async function trustedKeyManagers(
  db: DbOrTx,
  apiIds: string[],
  environmentId: string,
): Promise<{ accepted: Map<string, string[]>; keyManagers: SnapshotKeyManager[]; externalClients: ExternalClient[] }> {
  const accepted = await acceptedKeyManagerIds(db, apiIds);
  // An environment that restricts its key managers keeps, of each API's, only those.
  const allowed = await environmentTrust(db, environmentId);
  if (allowed)
    for (const [apiId, ids] of accepted)
      accepted.set(
        apiId,
        ids.filter((id) => allowed.has(id)),
      );
  const ids = [...new Set([...accepted.values()].flat())].filter((id) => id !== "builtin");
  if (ids.length === 0) return { accepted, keyManagers: [], externalClients: [] };
  const rows = await db.select().from(keyManagers).where(inArray(keyManagers.id, ids)).orderBy(asc(keyManagers.id));
  const clients = await db
    .select({
      keyManagerId: keyManagerClients.keyManagerId,
      clientId: keyManagerClients.clientId,
      applicationId: keyManagerClients.applicationId,
      keyType: keyManagerClients.keyType,
    })
    .from(keyManagerClients)
    .where(and(inArray(keyManagerClients.keyManagerId, ids), eq(keyManagerClients.status, "active")))
    .orderBy(asc(keyManagerClients.id));
  return {
    accepted,
    keyManagers: rows.map((r) => ({
      id: r.id,
      issuer: r.issuer,
      jwksUri: r.jwksUri,
      audiences: r.audiences,
      clientIdClaim: r.clientIdClaim,
    })),
    externalClients: clients.map((c) => ({ ...c, clientId: c.clientId! })),
  };
}
