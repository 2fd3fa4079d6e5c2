import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { apis } from "./apis";
import { timestamps, tstz } from "./columns";
import { users } from "./users";

export type KeyType = "production" | "sandbox";
export type SubscriptionStatus = "pending" | "active" | "blocked" | "rejected";

/** A consumer's application: the subject of its tokens, keys and subscriptions. */
export const applications = pgTable(
  "applications",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // Name of an application-level rate-limit policy, or null for none.
    policy: text("policy"),
    ...timestamps,
  },
  (t) => [uniqueIndex("applications_owner_name_key").on(t.ownerId, t.name)],
);
export type Application = typeof applications.$inferSelect;

/** OAuth2 client credentials, one per application and key type; the secret is stored hashed. */
export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    keyType: text("key_type").$type<KeyType>().notNull(),
    clientId: text("client_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    secretRotatedAt: tstz("secret_rotated_at").notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("oauth_clients_client_id_key").on(t.clientId),
    uniqueIndex("oauth_clients_application_key_type_key").on(t.applicationId, t.keyType),
  ],
);
export type OauthClient = typeof oauthClients.$inferSelect;

/** API keys: random, prefixed, shown once; gateways receive only the SHA-256. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    keyType: text("key_type").$type<KeyType>().notNull(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    // The key itself, encrypted: gateways that check keys themselves (AWS, Azure) are given it.
    secretEncrypted: text("secret_encrypted"),
    prefix: text("prefix").notNull(),
    expiresAt: tstz("expires_at"),
    revokedAt: tstz("revoked_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.hash), index("api_keys_application_id_idx").on(t.applicationId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

/** Application × API × tier. One row per pair: a second subscribe is refused, not duplicated. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id),
    tier: text("tier").notNull(),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    decidedBy: text("decided_by"),
    decidedAt: tstz("decided_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("subscriptions_application_api_key").on(t.applicationId, t.apiId), index("subscriptions_api_id_idx").on(t.apiId)],
);
export type SubscriptionRow = typeof subscriptions.$inferSelect;
