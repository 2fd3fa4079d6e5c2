import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./columns";

/**
 * The key manager's signing keys. The private JWK is encrypted at rest; a retired key stays
 * published in the JWKS until every token it signed has expired (`publishedUntil`).
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    kid: text("kid").primaryKey(),
    alg: text("alg").notNull(),
    publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
    privateJwk: text("private_jwk").notNull(),
    status: text("status").$type<"active" | "retired">().notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    retiredAt: tstz("retired_at"),
    publishedUntil: tstz("published_until"),
  },
  (t) => [index("signing_keys_status_idx").on(t.status)],
);
export type SigningKey = typeof signingKeys.$inferSelect;

/** Revoked access tokens (RFC 7009), kept until they would have expired anyway. */
export const revokedTokens = pgTable(
  "revoked_tokens",
  {
    jti: text("jti").primaryKey(),
    applicationId: text("application_id"),
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at").notNull().defaultNow(),
  },
  (t) => [index("revoked_tokens_expires_at_idx").on(t.expiresAt)],
);
