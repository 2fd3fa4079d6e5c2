import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";

/**
 * AES-256-GCM for secrets at rest (gateway credentials, client secrets, signing keys).
 * Stored form: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. A column that stores such
 * values must also be listed in lib/services/maintenance/ensure-secret-key.ts, which
 * re-encrypts every secret when the key is rotated (MERIDIAN_SECRET_KEY_PREVIOUS).
 */
const VERSION = "v1";
let cachedKey: Buffer | undefined;
let cachedPrevious: { raw: string; key: Buffer } | undefined;

/** Parses MERIDIAN_SECRET_KEY: 64 hex chars or 32 base64 bytes; any other string of 32+ chars is hashed. */
export function parseSecretKey(raw: string): Buffer {
  const trimmed = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  const b64 = Buffer.from(trimmed, "base64");
  if (b64.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) return b64;
  if (trimmed.length < 32)
    throw new Error("MERIDIAN_SECRET_KEY must be 32 bytes (64 hex or base64) or a passphrase of at least 32 characters");
  return createHash("sha256").update(trimmed).digest();
}

function keyFile(): string {
  return path.join(config.dataDir, "secret.key");
}

/** The key: from the environment, else generated once into the data directory. */
export function getSecretKey(): Buffer {
  if (cachedKey) return cachedKey;
  if (process.env.MERIDIAN_SECRET_KEY) {
    cachedKey = parseSecretKey(process.env.MERIDIAN_SECRET_KEY);
    return cachedKey;
  }
  const file = keyFile();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // wx: never overwrite a key another process just wrote.
      fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  cachedKey = parseSecretKey(fs.readFileSync(file, "utf8"));
  return cachedKey;
}

/** The key being rotated away from (MERIDIAN_SECRET_KEY_PREVIOUS), if any. */
export function getPreviousSecretKey(): Buffer | undefined {
  const raw = process.env.MERIDIAN_SECRET_KEY_PREVIOUS;
  if (!raw) return undefined;
  if (cachedPrevious?.raw !== raw) cachedPrevious = { raw, key: parseSecretKey(raw) };
  return cachedPrevious.key;
}

/**
 * A value that tells keys apart without revealing them: HMAC-SHA256 of a fixed label under the
 * key. Stored in the database so that a replica started with another key is refused.
 */
export function secretKeyCheck(key: Buffer): string {
  return createHmac("sha256", key).update("meridian secret key check v1").digest("base64url");
}

/** For tests: forget the cached key so that a changed environment is read again. */
export function resetSecretKeyCache(): void {
  cachedKey = undefined;
  cachedPrevious = undefined;
}

export function encryptSecret(plaintext: string, key: Buffer = getSecretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/**
 * Decrypts with the given key or, by default, with the current key and then, while a rotation
 * is under way, with the previous one (a replica that has not re-encrypted yet still reads).
 */
export function decryptSecret(stored: string, key?: Buffer): string {
  if (key) return decryptWith(stored, key);
  try {
    return decryptWith(stored, getSecretKey());
  } catch (error) {
    const previous = getPreviousSecretKey();
    if (!previous) throw error;
    return decryptWith(stored, previous);
  }
}

function decryptWith(stored: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new AppError("internal_error", "A stored secret is malformed.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("internal_error", "A stored secret could not be decrypted: is MERIDIAN_SECRET_KEY the key it was written with?");
  }
}

export function isEncryptedSecret(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(`${VERSION}.`) && value.split(".").length === 4;
}
