import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { apiRevisions, apis } from "./apis";
import { timestamps } from "./columns";
import { environments } from "./environments";

export type DeploymentStatus = "pending" | "deploying" | "deployed" | "failed" | "undeploying" | "undeployed" | "drifted";

export interface DeploymentStep {
  at: string;
  step: string;
  detail?: string;
}

/**
 * What runs where: one row per API and environment, naming the deployed revision. `reference`
 * is the connector's typed, versioned record of what it created remotely (for pull gateways:
 * the snapshot version that first carried it).
 */
export const deployments = pgTable(
  "deployments",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id),
    revisionId: text("revision_id")
      .notNull()
      .references(() => apiRevisions.id),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id),
    status: text("status").$type<DeploymentStatus>().notNull(),
    // The revision that really serves there (null until the first deploy succeeds); revisionId is the one asked for.
    deployedRevisionId: text("deployed_revision_id"),
    // The job that last changed this deployment: its steps are the live progress.
    jobId: text("job_id"),
    reference: jsonb("reference").$type<Record<string, unknown> | null>(),
    error: text("error"),
    steps: jsonb("steps").$type<DeploymentStep[]>().notNull().default([]),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("deployments_api_environment_key").on(t.apiId, t.environmentId),
    index("deployments_environment_status_idx").on(t.environmentId, t.status),
  ],
);
export type DeploymentRow = typeof deployments.$inferSelect;
