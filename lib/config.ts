import path from "node:path";

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
    return (process.env.MERIDIAN_EXTRA_ORIGINS || "").split(",").map((s) => s.trim()).filter(Boolean);
  },
  get allowPrivateUrls(): boolean {
    return ["1", "true", "yes"].includes((process.env.MERIDIAN_ALLOW_PRIVATE_URLS || "").toLowerCase());
  },
  /** `iss` of access tokens: the key manager's public base URL. */
  get tokenIssuer(): string {
    return (process.env.MERIDIAN_TOKEN_ISSUER || this.publicUrl).replace(/\/$/, "");
  },
  /** `aud` of access tokens: what Meridian's gateways expect. */
  get tokenAudience(): string {
    return process.env.MERIDIAN_TOKEN_AUDIENCE || "meridian-gateways";
  },
  version: process.env.npm_package_version || "0.1.0",
};
