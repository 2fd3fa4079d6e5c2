import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { apis } from "./apis";
import { timestamps, tstz } from "./columns";
import { environments } from "./environments";

export type DiscoveryState = "new" | "updated" | "unchanged" | "gone";

/**
 * What discovery found on a gateway, one row per remote API. `state` compares the last listing
 * with the one before it; `previousDefinition` keeps what an Updated API looked like, for the diff.
 */
export const discoveredApis = pgTable(
  "discovered_apis",
  {
    id: text("id").primaryKey(),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    version: text("version"),
    context: text("context"),
    definition: jsonb("definition").$type<Record<string, unknown> | null>(),
    previousDefinition: jsonb("previous_definition").$type<Record<string, unknown> | null>(),
    upstreams: text("upstreams").array().notNull().default([]),
    contentHash: text("content_hash").notNull(),
    state: text("state").$type<DiscoveryState>().notNull(),
    // Set when this remote API was imported into Meridian: re-discovery updates that API.
    importedApiId: text("imported_api_id").references(() => apis.id, { onDelete: "set null" }),
    importedHash: text("imported_hash"),
    lastSeenAt: tstz("last_seen_at"),
    goneAt: tstz("gone_at"),
    lastJobId: text("last_job_id"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("discovered_apis_environment_external_key").on(t.environmentId, t.externalId),
    index("discovered_apis_imported_idx").on(t.importedApiId),
  ],
);
export type DiscoveredApiRow = typeof discoveredApis.$inferSelect;

/**
 * Meridian-issued API keys installed on gateways that check keys themselves (AWS usage-plan
 * keys, Azure subscriptions), per deployment; the key-sync job reconciles them.
 */
export const remoteKeys = pgTable(
  "remote_keys",
  {
    id: text("id").primaryKey(),
    deploymentId: text("deployment_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    tier: text("tier").notNull(),
    remoteIds: jsonb("remote_ids").$type<Record<string, string>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [uniqueIndex("remote_keys_deployment_subscription_key").on(t.deploymentId, t.subscriptionId, t.apiKeyId)],
);
export type RemoteKeyRow = typeof remoteKeys.$inferSelect;
