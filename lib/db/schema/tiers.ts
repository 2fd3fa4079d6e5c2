import { sql } from "drizzle-orm";
import { boolean, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";

/**
 * Rate-limit tiers and policies: subscription tiers (chosen per subscription), application
 * policies (per application) and API policies (per API). Names are identifiers that other
 * tables refer to, so they never change; at most one per kind whatever the letter case.
 */
export const rateLimitPolicies = pgTable(
  "rate_limit_policies",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description").notNull().default(""),
    // Null when unlimited.
    requests: integer("requests"),
    unit: text("unit"),
    burst: integer("burst"),
    monthlyQuota: integer("monthly_quota"),
    unlimited: boolean("unlimited").notNull().default(false),
    ...timestamps,
  },
  (t) => [uniqueIndex("rate_limit_policies_kind_name_key").on(t.kind, sql`lower(${t.name})`)],
);

export type RateLimitPolicy = typeof rateLimitPolicies.$inferSelect;
export type NewRateLimitPolicy = typeof rateLimitPolicies.$inferInsert;
