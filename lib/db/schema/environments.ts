import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";

/**
 * Gateway environments. `config` holds the connector's settings as JSON in which every secret
 * field is an encrypted string (lib/crypto/secrets.ts); only the service layer decrypts it.
 */
export const environments = pgTable(
  "environments",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description").notNull().default(""),
    type: text("type").notNull(),
    mode: text("mode").notNull(),
    region: text("region").notNull().default(""),
    publicUrls: text("public_urls")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Roles that see APIs deployed here in the developer portal; empty means everyone.
    visibleRoles: text("visible_roles")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // 0 turns discovery off.
    discoveryIntervalMinutes: integer("discovery_interval_minutes").notNull().default(0),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    // Bumped by every change to what this environment's gateways must serve.
    snapshotVersion: integer("snapshot_version").notNull().default(0),
    // When the snapshot version last changed: the start of the propagation the admin portal shows.
    snapshotChangedAt: tstz("snapshot_changed_at"),
    // The token named `primary` (gateway_tokens), as the environment's single-token endpoint
    // shows it: its prefix and issue time only, never its hash.
    gatewayTokenPrefix: text("gateway_token_prefix"),
    gatewayTokenCreatedAt: tstz("gateway_token_created_at"),
    lastTestAt: tstz("last_test_at"),
    lastTestOk: boolean("last_test_ok"),
    lastTestMessage: text("last_test_message"),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("environments_name_key").on(t.name)],
);

export type Environment = typeof environments.$inferSelect;
export type NewEnvironment = typeof environments.$inferInsert;

/**
 * Named gateway tokens: a pull environment has any number, one per gateway or replica group,
 * each revocable on its own. Stored as SHA-256 hashes; the secret is shown once.
 */
export const gatewayTokens = pgTable(
  "gateway_tokens",
  {
    id: text("id").primaryKey(),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    prefix: text("prefix").notNull(),
    createdBy: text("created_by"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("gateway_tokens_token_hash_key").on(t.tokenHash),
    uniqueIndex("gateway_tokens_environment_name_key").on(t.environmentId, t.name),
  ],
);

export type GatewayToken = typeof gatewayTokens.$inferSelect;

/** Instances of pull gateways, as their heartbeats report them. */
export const gatewayInstances = pgTable(
  "gateway_instances",
  {
    id: text("id").primaryKey(),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    instanceId: text("instance_id").notNull(),
    region: text("region").notNull().default(""),
    appliedVersion: integer("applied_version").notNull().default(0),
    // When the instance applied that version (its own clock, from its heartbeat; else when it was first reported).
    appliedAt: tstz("applied_at"),
    // The last snapshot the instance could not apply and why (an agent's gateway refused what it compiled); null once one applies.
    lastError: jsonb("last_error").$type<{ version: string | null; message: string; at: string } | null>(),
    // The token the instance authenticated with on its last heartbeat.
    tokenId: text("token_id").references(() => gatewayTokens.id, { onDelete: "set null" }),
    firstSeenAt: tstz("first_seen_at").notNull().defaultNow(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("gateway_instances_environment_instance_key").on(t.environmentId, t.instanceId),
    index("gateway_instances_last_seen_at_idx").on(t.lastSeenAt),
  ],
);

export type GatewayInstance = typeof gatewayInstances.$inferSelect;
