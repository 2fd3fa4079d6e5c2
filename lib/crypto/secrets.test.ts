import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, isEncryptedSecret, parseSecretKey, resetSecretKeyCache, secretKeyCheck } from "./secrets";

const key = randomBytes(32);

describe("secrets at rest", () => {
  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret("aws-secret-access-key/123", key);
    expect(stored).not.toContain("aws-secret");
    expect(isEncryptedSecret(stored)).toBe(true);
    expect(decryptSecret(stored, key)).toBe("aws-secret-access-key/123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("refuses a tampered ciphertext or a wrong key", () => {
    const stored = encryptSecret("value", key);
    const parts = stored.split(".");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    parts[3] = flipped.toString("base64url");
    expect(() => decryptSecret(parts.join("."), key)).toThrow(/could not be decrypted/);
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow(/could not be decrypted/);
    expect(() => decryptSecret("plain", key)).toThrow(/malformed/);
  });

  it("parses hex, base64 and passphrase keys, and refuses short ones", () => {
    expect(parseSecretKey("ab".repeat(32))).toHaveLength(32);
    expect(parseSecretKey(randomBytes(32).toString("base64"))).toHaveLength(32);
    expect(parseSecretKey("a passphrase that is long enough to use")).toHaveLength(32);
    expect(() => parseSecretKey("short")).toThrow(/32/);
  });

  it("tells keys apart by a check value that does not reveal them", () => {
    const other = randomBytes(32);
    expect(secretKeyCheck(key)).toBe(secretKeyCheck(Buffer.from(key)));
    expect(secretKeyCheck(key)).not.toBe(secretKeyCheck(other));
    expect(secretKeyCheck(key)).not.toContain(key.toString("hex"));
    expect(secretKeyCheck(key)).not.toContain(key.toString("base64url"));
  });

  it("reads a secret written with MERIDIAN_SECRET_KEY_PREVIOUS while a rotation is under way", () => {
    const saved = { key: process.env.MERIDIAN_SECRET_KEY, previous: process.env.MERIDIAN_SECRET_KEY_PREVIOUS };
    const oldKey = randomBytes(32).toString("hex");
    const stored = encryptSecret("rotated", Buffer.from(oldKey, "hex"));
    try {
      process.env.MERIDIAN_SECRET_KEY = randomBytes(32).toString("hex");
      delete process.env.MERIDIAN_SECRET_KEY_PREVIOUS;
      resetSecretKeyCache();
      expect(() => decryptSecret(stored)).toThrow(/could not be decrypted/);
      process.env.MERIDIAN_SECRET_KEY_PREVIOUS = oldKey;
      resetSecretKeyCache();
      expect(decryptSecret(stored)).toBe("rotated");
    } finally {
      process.env.MERIDIAN_SECRET_KEY = saved.key;
      if (saved.previous === undefined) delete process.env.MERIDIAN_SECRET_KEY_PREVIOUS;
      else process.env.MERIDIAN_SECRET_KEY_PREVIOUS = saved.previous;
      resetSecretKeyCache();
    }
  });
});
