import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { getDb } from "@/lib/db/client";
import { signingKeys } from "@/lib/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { requestJwtCredentialSync } from "@/lib/services/deployments/request-key-sync";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";

export const SIGNING_ALG = "ES256";
// The longest access-token lifetime the settings allow, plus clock skew: how long a retired
// key must stay in the JWKS.
const RETIRED_KEY_PUBLISH_MS = (86400 + 300) * 1000;

interface ActiveKey {
  kid: string;
  key: CryptoKey;
  loadedAt: number;
}
let cached: ActiveKey | undefined;

async function createKey(): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const privateJwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG });
  const db = await getDb();
  await db.insert(signingKeys).values({ kid, alg: SIGNING_ALG, publicJwk, privateJwk: encryptSecret(privateJwk), status: "active" });
  return kid;
}

/** The key that signs new tokens: the newest active one, created on first use. */
export async function getActiveSigningKey(): Promise<{ kid: string; key: CryptoKey }> {
  // Re-read now and then so that a rotation done by another process takes effect here too.
  if (cached && Date.now() - cached.loadedAt < 30_000) return cached;
  const db = await getDb();
  let [row] = await db.select().from(signingKeys).where(eq(signingKeys.status, "active")).orderBy(desc(signingKeys.createdAt)).limit(1);
  if (!row) {
    await createKey();
    [row] = await db.select().from(signingKeys).where(eq(signingKeys.status, "active")).orderBy(desc(signingKeys.createdAt)).limit(1);
  }
  const key = (await importJWK(JSON.parse(decryptSecret(row.privateJwk)) as JWK, SIGNING_ALG)) as CryptoKey;
  cached = { kid: row.kid, key, loadedAt: Date.now() };
  return cached;
}

/** The key that signs new tokens, as a PEM public key: what gateways holding one key per credential (Kong's jwt plugin) are given. */
export async function activeSigningKeyPem(): Promise<{ kid: string; pem: string }> {
  // Read from the database, not the cache: key sync right after a rotation must see the new key.
  await getActiveSigningKey();
  const db = await getDb();
  const [row] = await db
    .select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(eq(signingKeys.status, "active"))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  const key = (await importJWK(row.publicJwk as JWK, SIGNING_ALG)) as CryptoKey;
  return { kid: row.kid, pem: await exportSPKI(key) };
}

/** Public keys: the active ones and retired ones whose tokens may still be alive. */
export async function getJwks(now = new Date()): Promise<{ keys: JWK[] }> {
  const db = await getDb();
  const rows = await db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(
      or(
        eq(signingKeys.status, "active"),
        and(eq(signingKeys.status, "retired"), or(isNull(signingKeys.publishedUntil), gt(signingKeys.publishedUntil, now))),
      ),
    )
    .orderBy(desc(signingKeys.createdAt));
  if (rows.length === 0) {
    await getActiveSigningKey();
    return getJwks(now);
  }
  return { keys: rows.map((r) => r.publicJwk as JWK) };
}

/** A new key signs from now on; the old ones stay published until their tokens expire. */
export async function rotateSigningKey(ctx: ServiceContext): Promise<{ kid: string }> {
  assertCan(ctx, "settings:write");
  const previous = await getDb().then((db) =>
    db.select({ kid: signingKeys.kid }).from(signingKeys).where(eq(signingKeys.status, "active")),
  );
  const kid = await createKey();
  const db = await getDb();
  await db.transaction(async (tx) => {
    const now = new Date();
    for (const p of previous) {
      await tx
        .update(signingKeys)
        .set({ status: "retired", retiredAt: now, publishedUntil: new Date(now.getTime() + RETIRED_KEY_PUBLISH_MS) })
        .where(eq(signingKeys.kid, p.kid));
    }
    await bumpSnapshotVersions(tx);
    // Gateways that hold the public key in their own credentials learn the new one through key sync.
    await requestJwtCredentialSync(tx);
    await writeAudit(tx, ctx, {
      action: "signing_key.rotate",
      objectType: "signing_key",
      objectId: kid,
      details: { retired: previous.map((p) => p.kid) },
    });
  });
  cached = undefined;
  return { kid };
}
