import { eq, isNotNull, sql } from "drizzle-orm";
import { decryptSecret, encryptSecret, getPreviousSecretKey, getSecretKey, isEncryptedSecret, secretKeyCheck } from "@/lib/crypto/secrets";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, environments, keyManagerClients, keyManagers, settings, signingKeys } from "@/lib/db/schema";

/** The settings row holding the check value of the key the database's secrets are written with. */
export const SECRET_KEY_CHECK_SETTING = "secretKeyCheck";
const LOCK = 727_275;

/** Refused at start: the message says what to do. */
export class SecretKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyMismatchError";
  }
}

export interface SecretKeyState {
  /** The check value was recorded now (the first start with one). */
  recorded: boolean;
  /** Secrets re-encrypted from MERIDIAN_SECRET_KEY_PREVIOUS to MERIDIAN_SECRET_KEY. */
  reencrypted: number;
}

/**
 * Every column that holds secrets encrypted with lib/crypto/secrets.ts, as one re-encryption
 * step each: `convert` returns the new stored value, or null when the row needs no change.
 */
const ENCRYPTED_COLUMNS: Array<(tx: Tx, convert: (stored: string) => string | null) => Promise<number>> = [
  // Environments: the connector config's secret fields (strings anywhere in the JSON).
  async (tx, convert) => {
    let n = 0;
    for (const row of await tx.select({ id: environments.id, config: environments.config }).from(environments)) {
      let changed = false;
      const walk = (value: unknown): unknown => {
        if (isEncryptedSecret(value)) {
          const next = convert(value);
          if (next === null) return value;
          changed = true;
          n++;
          return next;
        }
        if (Array.isArray(value)) return value.map(walk);
        if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
        return value;
      };
      const config = walk(row.config) as Record<string, unknown>;
      if (changed) await tx.update(environments).set({ config }).where(eq(environments.id, row.id));
    }
    return n;
  },
  // The key manager's private signing keys.
  async (tx, convert) => {
    let n = 0;
    for (const row of await tx.select({ kid: signingKeys.kid, privateJwk: signingKeys.privateJwk }).from(signingKeys)) {
      const next = convert(row.privateJwk);
      if (next === null) continue;
      await tx.update(signingKeys).set({ privateJwk: next }).where(eq(signingKeys.kid, row.kid));
      n++;
    }
    return n;
  },
  // API keys kept decryptable to provision them on vendor gateways.
  async (tx, convert) => {
    let n = 0;
    for (const row of await tx
      .select({ id: apiKeys.id, secret: apiKeys.secretEncrypted })
      .from(apiKeys)
      .where(isNotNull(apiKeys.secretEncrypted))) {
      const next = convert(row.secret!);
      if (next === null) continue;
      await tx.update(apiKeys).set({ secretEncrypted: next }).where(eq(apiKeys.id, row.id));
      n++;
    }
    return n;
  },
  // External key managers: the initial access token for dynamic registration.
  async (tx, convert) => {
    let n = 0;
    for (const row of await tx
      .select({ id: keyManagers.id, token: keyManagers.registrationTokenEncrypted })
      .from(keyManagers)
      .where(isNotNull(keyManagers.registrationTokenEncrypted))) {
      const next = convert(row.token!);
      if (next === null) continue;
      await tx.update(keyManagers).set({ registrationTokenEncrypted: next }).where(eq(keyManagers.id, row.id));
      n++;
    }
    return n;
  },
  // Their clients: secrets (for Try it and ownership proofs) and registration access tokens.
  async (tx, convert) => {
    let n = 0;
    for (const row of await tx
      .select({
        id: keyManagerClients.id,
        secret: keyManagerClients.clientSecretEncrypted,
        token: keyManagerClients.registrationAccessTokenEncrypted,
      })
      .from(keyManagerClients)) {
      const secret = row.secret ? convert(row.secret) : null;
      const token = row.token ? convert(row.token) : null;
      if (secret === null && token === null) continue;
      await tx
        .update(keyManagerClients)
        .set({
          ...(secret !== null ? { clientSecretEncrypted: secret } : {}),
          ...(token !== null ? { registrationAccessTokenEncrypted: token } : {}),
        })
        .where(eq(keyManagerClients.id, row.id));
      n += (secret !== null ? 1 : 0) + (token !== null ? 1 : 0);
    }
    return n;
  },
];

function decrypts(stored: string, key: Buffer): boolean {
  try {
    decryptSecret(stored, key);
    return true;
  } catch {
    return false;
  }
}

const SAME_KEY_HINT =
  "Give every control-plane replica (web and worker) the same MERIDIAN_SECRET_KEY. To change the key, set the new one in MERIDIAN_SECRET_KEY and the old one in MERIDIAN_SECRET_KEY_PREVIOUS.";

/**
 * Run at start, before anything else reads secrets: makes sure this process's secret key is
 * the one the database's secrets are written with, so that replicas on one PostgreSQL database
 * can never use different keys. The first start records a check value of the key (an HMAC,
 * never the key); later starts with another key are refused. With MERIDIAN_SECRET_KEY_PREVIOUS
 * set to the recorded key, every secret is re-encrypted under MERIDIAN_SECRET_KEY and the
 * check value replaced, in one transaction.
 */
export async function ensureSecretKey(): Promise<SecretKeyState> {
  const key = getSecretKey();
  const previous = getPreviousSecretKey();
  const check = secretKeyCheck(key);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Replicas starting together take turns: one records or rotates, the others then agree.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK})`);
    const [row] = await tx.select().from(settings).where(eq(settings.key, SECRET_KEY_CHECK_SETTING)).limit(1);
    const recorded = (row?.value as { check?: string } | undefined)?.check;
    if (recorded === check) return { recorded: false, reencrypted: 0 };

    let from: Buffer | undefined;
    if (recorded && previous && recorded === secretKeyCheck(previous)) {
      from = previous;
    } else if (recorded) {
      throw new SecretKeyMismatchError(
        `MERIDIAN_SECRET_KEY is not the key this database's secrets are written with${previous ? ", and neither is MERIDIAN_SECRET_KEY_PREVIOUS" : ""}: refusing to start. ${SAME_KEY_HINT}`,
      );
    }

    // No check value yet (a database from before it was recorded): the stored secrets decide.
    // Each must decrypt under the key, or under the previous key to be re-encrypted.
    let reencrypted = 0;
    let unreadable = 0;
    for (const step of ENCRYPTED_COLUMNS) {
      reencrypted += await step(tx, (stored) => {
        if (from) return encryptSecret(decryptSecret(stored, from), key);
        if (decrypts(stored, key)) return null;
        if (previous && decrypts(stored, previous)) return encryptSecret(decryptSecret(stored, previous), key);
        unreadable++;
        return null;
      });
    }
    if (unreadable > 0) {
      throw new SecretKeyMismatchError(
        `${unreadable} stored secret(s) cannot be decrypted with MERIDIAN_SECRET_KEY${previous ? " or MERIDIAN_SECRET_KEY_PREVIOUS" : ""}: refusing to start. ${SAME_KEY_HINT}`,
      );
    }
    const value = { check, algorithm: "HMAC-SHA256", recordedAt: new Date().toISOString() };
    await tx
      .insert(settings)
      .values({ key: SECRET_KEY_CHECK_SETTING, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    return { recorded: true, reencrypted };
  });
}
