import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { TextDiff } from "@/lib/domain/openapi/diff";
import type { ArtifactLike } from "@/lib/domain/project/artifact-text";
import { timestamps, tstz } from "./columns";
import { deployments } from "./deployments";
import { environments } from "./environments";

/** in_sync: what runs is what Meridian applied; drifted: it was changed there; missing: it is gone; unknown: not checked yet or unreadable. */
export type DriftState = "in_sync" | "drifted" | "missing" | "unknown";

/**
 * Drift of a push deployment: the native artifacts Meridian read back right after applying
 * them (the baseline), and the latest check of what runs there now against it. One row per
 * deployment; the desired revision stays on the deployment itself (three ways: desired,
 * applied, live).
 */
export const deploymentDrift = pgTable(
  "deployment_drift",
  {
    deploymentId: text("deployment_id")
      .primaryKey()
      .references(() => deployments.id, { onDelete: "cascade" }),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    appliedRevisionId: text("applied_revision_id"),
    appliedArtifacts: jsonb("applied_artifacts").$type<ArtifactLike[]>().notNull().default([]),
    appliedHash: text("applied_hash").notNull(),
    appliedAt: tstz("applied_at").notNull().defaultNow(),
    state: text("state").$type<DriftState>().notNull().default("in_sync"),
    liveArtifacts: jsonb("live_artifacts").$type<ArtifactLike[] | null>(),
    diff: jsonb("diff").$type<TextDiff | null>(),
    reason: text("reason"),
    checkedAt: tstz("checked_at"),
    checkError: text("check_error"),
    ...timestamps,
  },
  (t) => [index("deployment_drift_environment_state_idx").on(t.environmentId, t.state)],
);
export type DeploymentDriftRow = typeof deploymentDrift.$inferSelect;
