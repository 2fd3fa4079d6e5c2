import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { LifecycleState } from "@/lib/domain/lifecycle";
import type { ApiOperation, RateLimit, SecurityScheme } from "@/lib/domain/openapi/operations";
import type { SourceFormat, SpecVersion } from "@/lib/domain/openapi/types";
import { timestamps, tstz } from "./columns";

export interface ApiEndpoints {
  production: string | null;
  sandbox: string | null;
  /** Per gateway environment, by environment name: URLs that replace the defaults there. */
  overrides: Record<string, { production?: string | null; sandbox?: string | null }>;
}

export interface ApiSecurity {
  scheme: SecurityScheme;
  /** The header that carries the key when the scheme is apiKey. */
  apiKeyHeader: string;
}

export interface ApiCors {
  enabled: boolean;
  origins: string[];
  methods: string[];
  headers: string[];
  credentials: boolean;
}

export type ApiVisibility = "public" | "roles";

/**
 * An API: its settings, the working copy of its OpenAPI document (normalized to 3.x, with the
 * text as uploaded beside it) and the operations extracted from it. The document columns are
 * large and TOASTed: list queries select the small columns only.
 */
export const apis = pgTable(
  "apis",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    version: text("version").notNull(),
    context: text("context").notNull(),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    visibility: text("visibility").$type<ApiVisibility>().notNull().default("public"),
    visibleRoles: text("visible_roles")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    lifecycleState: text("lifecycle_state").$type<LifecycleState>().notNull().default("CREATED"),
    // `meridian`, or `discovered:<environment>` for APIs found on a gateway.
    origin: text("origin").notNull().default("meridian"),
    endpoints: jsonb("endpoints").$type<ApiEndpoints>().notNull(),
    security: jsonb("security").$type<ApiSecurity>().notNull(),
    rateLimit: jsonb("rate_limit").$type<RateLimit | null>(),
    cors: jsonb("cors").$type<ApiCors>().notNull(),
    allowedTiers: text("allowed_tiers")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // The creator first, then co-owners; user ids. Publishers see the APIs they appear in.
    owners: text("owners")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    definitionSource: text("definition_source").notNull(),
    definitionFormat: text("definition_format").$type<SourceFormat>().notNull(),
    sourceSpec: text("source_spec").$type<SpecVersion>().notNull(),
    operations: jsonb("operations").$type<ApiOperation[]>().notNull().default([]),
    operationCount: integer("operation_count").notNull().default(0),
    // Lowercase name, context and tags, written by the services: one column to search keeps a
    // substring search to a single comparison per row.
    searchText: text("search_text").notNull().default(""),
    // Revision numbers are never reused, even after a revision is deleted.
    lastRevisionNumber: integer("last_revision_number").notNull().default(0),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("apis_context_version_key").on(t.context, t.version),
    index("apis_owners_idx").using("gin", t.owners),
    index("apis_name_lower_idx").on(sql`lower(${t.name})`, t.id),
    index("apis_updated_at_idx").on(t.updatedAt),
    // The developer portal's catalog: word-prefix search over name, description and tags, and the tag filter.
    index("apis_search_idx").using(
      "gin",
      sql`(to_tsvector('simple', ${t.name} || ' ' || ${t.description}) || array_to_tsvector(${t.tags}))`,
    ),
    index("apis_tags_idx").using("gin", t.tags),
  ],
);

export type ApiRow = typeof apis.$inferSelect;
export type NewApiRow = typeof apis.$inferInsert;

/** The settings a revision snapshots beside the document. */
export interface ApiSettingsSnapshot {
  name: string;
  description: string;
  version: string;
  context: string;
  tags: string[];
  visibility: ApiVisibility;
  visibleRoles: string[];
  endpoints: ApiEndpoints;
  security: ApiSecurity;
  rateLimit: RateLimit | null;
  cors: ApiCors;
  allowedTiers: string[];
  /**
   * Per-operation overrides, by "METHOD /path". `scopes`: the OAuth2 scopes the operation requires
   * in this revision (the publisher's, else the document's), all of them; absent for none and in
   * revisions made before scopes existed.
   */
  operationPolicies: Record<string, { security: SecurityScheme | null; rateLimit: RateLimit | null; scopes?: string[] }>;
}

/** Immutable snapshots of an API, numbered per API. */
export const apiRevisions = pgTable(
  "api_revisions",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    description: text("description").notNull().default(""),
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    definitionSource: text("definition_source").notNull(),
    definitionFormat: text("definition_format").$type<SourceFormat>().notNull(),
    sourceSpec: text("source_spec").$type<SpecVersion>().notNull(),
    settings: jsonb("settings").$type<ApiSettingsSnapshot>().notNull(),
    operationCount: integer("operation_count").notNull().default(0),
    createdBy: text("created_by"),
    createdByEmail: text("created_by_email"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_revisions_api_number_key").on(t.apiId, t.number)],
);

export type ApiRevisionRow = typeof apiRevisions.$inferSelect;

export type ApiDocumentKind = "how-to" | "sample" | "other";
export type ApiDocumentSource = "markdown" | "url";

/** Markdown documents and external links shown with an API. */
export const apiDocuments = pgTable(
  "api_documents",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    kind: text("kind").$type<ApiDocumentKind>().notNull(),
    sourceType: text("source_type").$type<ApiDocumentSource>().notNull(),
    content: text("content").notNull().default(""),
    url: text("url"),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("api_documents_api_title_key").on(t.apiId, t.title)],
);

export type ApiDocumentRow = typeof apiDocuments.$inferSelect;

/** Every lifecycle change: who, when, from which state to which. */
export const apiLifecycleEvents = pgTable(
  "api_lifecycle_events",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    fromState: text("from_state").$type<LifecycleState>().notNull(),
    toState: text("to_state").$type<LifecycleState>().notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    at: tstz("at").notNull().defaultNow(),
    /** Order of writing: events in the same instant keep their order. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [index("api_lifecycle_events_api_at_idx").on(t.apiId, t.at)],
);

export type ApiLifecycleEventRow = typeof apiLifecycleEvents.$inferSelect;
