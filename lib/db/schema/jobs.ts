import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobStep {
  at: string;
  step: string;
  detail?: string;
}

/**
 * The durable queue. Workers claim due jobs with `FOR UPDATE SKIP LOCKED` and hold a lease that
 * they extend while working; a worker that dies leaves its lease to run out, and the job is
 * claimed again. Jobs with the same `concurrency_key` never run at the same time.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    concurrencyKey: text("concurrency_key"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAt: tstz("run_at").notNull().defaultNow(),
    lockedBy: text("locked_by"),
    lockedUntil: tstz("locked_until"),
    steps: jsonb("steps").$type<JobStep[]>().notNull().default([]),
    result: jsonb("result").$type<Record<string, unknown> | null>(),
    error: text("error"),
    errorCode: text("error_code"),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    createdBy: text("created_by"),
    ...timestamps,
  },
  (t) => [
    index("jobs_due_idx")
      .on(t.runAt)
      .where(sql`status in ('queued', 'running')`),
    index("jobs_concurrency_idx")
      .on(t.concurrencyKey)
      .where(sql`status in ('queued', 'running')`),
    index("jobs_kind_created_idx").on(t.kind, t.createdAt),
  ],
);
export type JobRow = typeof jobs.$inferSelect;
