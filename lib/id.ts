import { randomBytes } from "node:crypto";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export type IdPrefix =
  | "usr"
  | "inv"
  | "pat"
  | "aud"
  | "req"
  | "api"
  | "rev"
  | "doc"
  | "env"
  | "dep"
  | "tier"
  | "pol"
  | "app"
  | "sub"
  | "key"
  | "job"
  | "gwi"
  | "gwt"
  | "lce"
  | "ocl"
  | "dsc"
  | "rky"
  | "kmg"
  | "kmc";

/** Random base58 string; 16 characters carry about 93 bits. */
export function randomBase58(length = 16): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i];
    // Reject values that would bias the distribution (58 * 4 = 232).
    if (b < 232) out += ALPHABET[b % 58];
  }
  return out.length === length ? out : out + randomBase58(length - out.length);
}

/** Prefixed ids (`usr_…`, `env_…`) so that an id says what it names. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase58(16)}`;
}
