import { createRemoteJWKSet } from "jose";

/**
 * The JWKS of each external key manager, one jose remote key set per `jwks_uri`, kept across
 * snapshots. jose fetches a set once, keeps it (`cacheMaxAge`), and fetches it again only when
 * a token names a `kid` it does not hold, at most once per `cooldownDuration`: a flood of tokens
 * with made-up kids costs one fetch per cooldown, never one per request.
 */

type RemoteSet = ReturnType<typeof createRemoteJWKSet>;

export interface RemoteJwksOptions {
  cooldownMs?: number;
  cacheMaxAgeMs?: number;
  timeoutMs?: number;
}

export class RemoteJwksCache {
  private readonly sets = new Map<string, RemoteSet>();

  constructor(private readonly options: RemoteJwksOptions = {}) {}

  get(jwksUri: string): RemoteSet {
    let set = this.sets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), {
        cooldownDuration: this.options.cooldownMs ?? 30_000,
        cacheMaxAge: this.options.cacheMaxAgeMs ?? 600_000,
        timeoutDuration: this.options.timeoutMs ?? 5_000,
      });
      this.sets.set(jwksUri, set);
      // Fetched ahead of the first token, so that it does not wait; a failure is retried on demand.
      set.reload().catch(() => {});
    }
    return set;
  }

  /** Forgets the sets of key managers no longer in the snapshot; the rest keep their keys. */
  retain(jwksUris: Iterable<string>): void {
    const keep = new Set(jwksUris);
    for (const uri of this.sets.keys()) if (!keep.has(uri)) this.sets.delete(uri);
    for (const uri of keep) this.get(uri);
  }

  has(jwksUri: string): boolean {
    return this.sets.has(jwksUri);
  }
}
