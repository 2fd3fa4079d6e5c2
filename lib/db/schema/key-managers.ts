import { sql } from "drizzle-orm";
import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { apis } from "./apis";
import { applications, type KeyType } from "./applications";
import { timestamps, tstz } from "./columns";
import { environments } from "./environments";

/** The id of Meridian's own key manager, which is always present and never stored. */
export const BUILTIN_KEY_MANAGER_ID = "builtin";

/**
 * External key managers: OpenID providers whose access tokens gateways accept. What discovery
 * said is kept (so that gateways need no discovery of their own); the initial access token for
 * dynamic client registration is encrypted at rest (lib/crypto/secrets.ts).
 */
export const keyManagers = pgTable(
  "key_managers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description").notNull().default(""),
    issuer: text("issuer").notNull(),
    jwksUri: text("jwks_uri").notNull(),
    tokenEndpoint: text("token_endpoint").notNull(),
    registrationEndpoint: text("registration_endpoint"),
    // The access-token claim that names the client (`azp`, `client_id`, …).
    clientIdClaim: text("client_id_claim").notNull().default("client_id"),
    // Accepted `aud` values; a token must carry one of them.
    audiences: text("audiences")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    registrationTokenEncrypted: text("registration_token_encrypted"),
    lastTestAt: tstz("last_test_at"),
    lastTestOk: boolean("last_test_ok"),
    lastTestMessage: text("last_test_message"),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("key_managers_name_key").on(t.name), uniqueIndex("key_managers_issuer_key").on(t.issuer)],
);
export type KeyManagerRow = typeof keyManagers.$inferSelect;

/**
 * The external key managers an API accepts tokens from. `key_manager_id` is `builtin` or a
 * key manager's id; an API without rows accepts the built-in key manager only.
 */
export const apiKeyManagers = pgTable(
  "api_key_managers",
  {
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    keyManagerId: text("key_manager_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiId, t.keyManagerId] }), index("api_key_managers_key_manager_id_idx").on(t.keyManagerId)],
);

/**
 * The key managers an environment's gateways may trust (`builtin` or a key manager's id). An
 * environment without rows trusts whatever its APIs accept; with rows, only those.
 */
export const environmentKeyManagers = pgTable(
  "environment_key_managers",
  {
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    keyManagerId: text("key_manager_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.keyManagerId] }),
    index("environment_key_managers_key_manager_id_idx").on(t.keyManagerId),
  ],
);

/**
 * An application's client at an external key manager: registered by Meridian (dynamic
 * registration, with the registration access token to manage it) or mapped by its owner after
 * proving possession. Secrets encrypted at rest.
 *
 * A dynamic registration is written down before the provider is asked (`pending`, no client
 * id yet, the `client_name` it registers under as the marker), recorded with the provider's
 * answer in its own commit, and only then made `active`: a crash anywhere in between leaves a
 * row that a retry or the sweep completes or cleans up, never an unknown client at the provider.
 * Only active rows reach gateways.
 */
export const keyManagerClients = pgTable(
  "key_manager_clients",
  {
    id: text("id").primaryKey(),
    keyManagerId: text("key_manager_id")
      .notNull()
      .references(() => keyManagers.id, { onDelete: "restrict" }),
    applicationId: text("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    keyType: text("key_type").$type<KeyType>().notNull(),
    mode: text("mode").$type<"registered" | "mapped">().notNull(),
    status: text("status").$type<"pending" | "active">().notNull().default("active"),
    // Null while a registration is pending and the provider has not answered yet.
    clientId: text("client_id"),
    // The name the client was registered under at the provider (carries the row id).
    clientName: text("client_name"),
    clientSecretEncrypted: text("client_secret_encrypted"),
    registrationAccessTokenEncrypted: text("registration_access_token_encrypted"),
    registrationClientUri: text("registration_client_uri"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("key_manager_clients_client_key").on(t.keyManagerId, t.clientId),
    uniqueIndex("key_manager_clients_application_key").on(t.keyManagerId, t.applicationId, t.keyType),
    index("key_manager_clients_application_id_idx").on(t.applicationId),
  ],
);
export type KeyManagerClientRow = typeof keyManagerClients.$inferSelect;
