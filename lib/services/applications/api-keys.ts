import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys, type ApiKey } from "@/lib/db/schema";
import { hashToken, randomToken } from "@/lib/crypto/hash";
import { encryptSecret } from "@/lib/crypto/secrets";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { requestKeySync } from "@/lib/services/deployments/request-key-sync";
import type { ServiceContext } from "@/lib/services/context";
import { getSettings } from "@/lib/services/settings/get-settings";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { getOwnedApplicationOrThrow } from "./get-application";
import { apiKeyInputSchema } from "./schemas";

export interface PublicApiKey {
  id: string;
  name: string;
  keyType: string;
  prefix: string;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export function toPublicApiKey(k: ApiKey): PublicApiKey {
  return {
    id: k.id,
    name: k.name,
    keyType: k.keyType,
    prefix: k.prefix,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  };
}

/** A new API key: prefixed as the settings say, shown once, stored as its SHA-256. */
export async function createApiKey(
  applicationId: string,
  input: unknown,
  ctx: ServiceContext,
): Promise<{ key: string; record: PublicApiKey }> {
  const values = parseInput(apiKeyInputSchema, input);
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const { apiKeyPrefix } = await getSettings();
  const key = `${apiKeyPrefix}${randomToken(30)}`;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id: newId("key"),
        applicationId: app.id,
        keyType: values.keyType,
        name: values.name,
        hash: hashToken(key),
        secretEncrypted: encryptSecret(key),
        prefix: key.slice(0, apiKeyPrefix.length + 6),
        expiresAt: values.expiresInDays ? new Date(Date.now() + values.expiresInDays * 86400_000) : null,
      })
      .returning();
    await bumpSnapshotVersions(tx);
    await requestKeySync(tx, { applicationId: app.id });
    await writeAudit(tx, ctx, {
      action: "api_key.create",
      objectType: "application",
      objectId: app.id,
      details: { keyId: row.id, keyType: row.keyType },
    });
    return { key, record: toPublicApiKey(row) };
  });
}

export async function listApiKeys(applicationId: string, ctx: ServiceContext): Promise<PublicApiKey[]> {
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const db = await getDb();
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.applicationId, app.id)).orderBy(desc(apiKeys.createdAt)).limit(200);
  return rows.map(toPublicApiKey);
}

export async function revokeApiKey(applicationId: string, keyId: string, ctx: ServiceContext): Promise<void> {
  const app = await getOwnedApplicationOrThrow(applicationId, ctx);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.applicationId, app.id)))
      .limit(1);
    if (!row) throw new AppError("not_found", "No such API key.");
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
    await bumpSnapshotVersions(tx);
    await requestKeySync(tx, { applicationId: app.id });
    await writeAudit(tx, ctx, { action: "api_key.revoke", objectType: "application", objectId: app.id, details: { keyId } });
  });
}
