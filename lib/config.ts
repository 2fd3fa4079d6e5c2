import path from "node:path";

/** An issuer identifier (RFC 8414 §2): an http(s) URL without query or fragment. */
export function normalizeIssuer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(
      `The token issuer ${JSON.stringify(raw)} is not a URL: set MERIDIAN_TOKEN_ISSUER (or MERIDIAN_PUBLIC_URL) to Meridian's public URL.`,
    );
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username || url.password) {
    throw new Error(`The token issuer ${JSON.stringify(raw)} must be an http(s) URL without query, fragment or credentials.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Every environment variable Meridian reads, in one place (the README's table mirrors this). */
export const config = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL || undefined;
  },
  get dataDir(): string {
    return path.resolve(/*turbopackIgnore: true*/ process.env.MERIDIAN_DATA_DIR || ".data");
  },
  get port(): number {
    return Number(process.env.PORT || 3000);
  },
  get publicUrl(): string {
    return (process.env.MERIDIAN_PUBLIC_URL || process.env.NEXTAUTH_URL || `http://localhost:${this.port}`).replace(/\/$/, "");
  },
  /** Other origins the web app is reached at (comma-separated); sign-in and sign-out stay on the one in use. */
  get extraOrigins(): string[] {
    return (process.env.MERIDIAN_EXTRA_ORIGINS || "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  },
  get allowPrivateUrls(): boolean {
    return ["1", "true", "yes"].includes((process.env.MERIDIAN_ALLOW_PRIVATE_URLS || "").toLowerCase());
  },
  /**
   * `iss` of access tokens and the issuer of the key manager's metadata: its public base URL,
   * normalized as OAuth clients compare issuers (lowercase scheme and host, no default port, no
   * trailing slash). Discovery from this URL passes the clients' issuer check.
   */
  get tokenIssuer(): string {
    return normalizeIssuer(process.env.MERIDIAN_TOKEN_ISSUER || this.publicUrl);
  },
  /** `aud` of access tokens: what Meridian's gateways expect. */
  get tokenAudience(): string {
    return process.env.MERIDIAN_TOKEN_AUDIENCE || "meridian-gateways";
  },
  /**
   * On PostgreSQL, waiting gateways are woken by NOTIFY; this slower poll only catches a
   * notification lost while the listening connection reconnected.
   */
  get snapshotSafetyPollMs(): number {
    return Number(process.env.MERIDIAN_SNAPSHOT_SAFETY_POLL_MS) || 2_000;
  },
  /**
   * How long a web process trusts a gateway token it has checked, without asking the database
   * again (0: never). A revocation or rotation takes effect at once on the process that made it,
   * and on the others within this time.
   */
  get gatewayTokenCacheMs(): number {
    const raw = process.env.MERIDIAN_GATEWAY_TOKEN_CACHE_MS;
    return raw === undefined || raw === "" ? 10_000 : Math.max(0, Number(raw) || 0);
  },
  version: process.env.npm_package_version || "0.1.0",
};

/**
 * On a PostgreSQL server (DATABASE_URL) several replicas may share the database, so keys
 * generated into one replica's data directory would differ from the others': the secret key
 * (and, for the web app, the session secret) must then be given explicitly. Returns the
 * variables that are missing, for a refusal at start.
 */
export function missingSharedSecrets(env: Record<string, string | undefined>, { session }: { session: boolean }): string[] {
  if (!env.DATABASE_URL) return [];
  const needed = session ? ["MERIDIAN_SECRET_KEY", "NEXTAUTH_SECRET"] : ["MERIDIAN_SECRET_KEY"];
  return needed.filter((name) => !env[name]?.trim());
}

export function sharedSecretsMessage(missing: string[]): string {
  return `DATABASE_URL names a PostgreSQL server that other replicas may share, so ${missing.join(" and ")} must be set explicitly (the same value on every replica); refusing to start. Generate one with: openssl rand -hex 32`;
}
