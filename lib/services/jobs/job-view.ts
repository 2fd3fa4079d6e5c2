import type { JobRow, JobStep } from "@/lib/db/schema";

export interface JobView {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  steps: JobStep[];
  result: Record<string, unknown> | null;
  error: string | null;
  errorCode: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
}

export function toJobView(j: JobRow): JobView {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    steps: j.steps,
    result: j.result,
    error: j.error,
    errorCode: j.errorCode,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    nextAttemptAt: j.status === "queued" ? j.runAt.toISOString() : null,
  };
}
