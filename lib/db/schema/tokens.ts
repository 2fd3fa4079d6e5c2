import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { users } from "./users";

/** Personal access tokens for /api/v1: stored as a SHA-256 hash, shown once. */
export const personalAccessTokens = pgTable(
  "personal_access_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    // The first characters, so that a user can tell tokens apart without the secret.
    prefix: text("prefix").notNull(),
    expiresAt: tstz("expires_at"),
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("personal_access_tokens_token_hash_key").on(t.tokenHash), index("personal_access_tokens_user_id_idx").on(t.userId)],
);

export type PersonalAccessToken = typeof personalAccessTokens.$inferSelect;
