import { randomUUID } from "node:crypto";
import os from "node:os";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { applyAnalyticsRetention } from "@/lib/services/analytics/apply-retention";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { analyticsSettings } from "@/lib/services/analytics/settings";
import { scheduleDiscovery } from "@/lib/services/discovery/schedule-discovery";
import { scheduleDriftChecks } from "@/lib/services/drift/schedule-drift";
import { sweepPendingRegistrations } from "@/lib/services/key-managers/client-registration";
import { purgeExpired } from "@/lib/services/maintenance/purge-expired";
import { JOB_HANDLERS } from "./handlers";
import { pullVendorMetrics } from "./pull-vendor-metrics";
import { claimJobs, queueEvents, queueSettings } from "./queue";
import { runClaimedJob, type JobHandler } from "./runner";

export interface Worker {
  readonly id: string;
  /** Stops claiming work, gives running jobs `graceMs` (10 s by default) to finish, then aborts them. */
  stop: (graceMs?: number) => Promise<void>;
  /** For tests: stops at once as a killed process would, leaving running jobs to their leases. */
  abandon: () => void;
}

interface PeriodicTask {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** Periodic tasks the worker runs beside the durable jobs. */
export const PERIODIC_TASKS: PeriodicTask[] = [
  { name: "purge-expired", everyMs: 10 * 60_000, run: purgeExpired },
  { name: "analytics-roll-up", everyMs: analyticsSettings.rollupIntervalMs, run: () => rollUpEvents() },
  { name: "analytics-retention", everyMs: analyticsSettings.retentionIntervalMs, run: () => applyAnalyticsRetention() },
  { name: "discovery-schedule", everyMs: 60_000, run: () => scheduleDiscovery() },
  { name: "drift-schedule", everyMs: 60_000, run: () => scheduleDriftChecks() },
  { name: "key-manager-registrations", everyMs: 5 * 60_000, run: () => sweepPendingRegistrations() },
  { name: "vendor-metrics", everyMs: analyticsSettings.vendorMetricsIntervalMs, run: () => pullVendorMetrics() },
];

export interface WorkerOptions {
  tasks?: PeriodicTask[];
  handlers?: Record<string, JobHandler>;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
}

/**
 * Starts the worker in this process: durable jobs claimed from the queue (several at once, each
 * alone with its concurrency key) and periodic tasks (a slow run is never overlapped).
 */
export function startWorker(input: WorkerOptions | PeriodicTask[] = {}): Worker {
  // A list of tasks alone runs those tasks and no jobs.
  const options: WorkerOptions = Array.isArray(input) ? { tasks: input, handlers: {} } : input;
  const tasks = options.tasks ?? PERIODIC_TASKS;
  const handlers = options.handlers ?? JOB_HANDLERS;
  const concurrency = options.concurrency ?? Number(process.env.MERIDIAN_WORKER_CONCURRENCY ?? 10);
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const stopController = new AbortController();
  let stopped = false;

  for (const task of tasks) {
    const tick = async () => {
      if (stopped) return;
      const p = task.run().catch((err) => logger.error({ err, task: task.name }, "worker task failed"));
      running.add(p);
      await p;
      running.delete(p);
      if (!stopped) timers.push(setTimeout(tick, task.everyMs));
    };
    timers.push(setTimeout(tick, 1000));
  }

  const kinds = Object.keys(handlers);
  let active = 0;
  let polling = false;
  let pollTimer: NodeJS.Timeout | undefined;
  const poll = async () => {
    if (stopped || polling) return;
    polling = true;
    try {
      while (!stopped && active < concurrency) {
        const db = await getDb();
        const [job] = await claimJobs(db, id, kinds, 1);
        if (!job || stopped) break;
        active++;
        const p = runClaimedJob(db, job, handlers[job.kind], id, stopController.signal)
          .catch((err) => logger.error({ err, job: job.id }, "job runner failed"))
          .finally(() => {
            active--;
            running.delete(p);
            void poll();
          });
        running.add(p);
      }
    } catch (err) {
      if (!stopped) logger.error({ err }, "could not claim jobs");
    } finally {
      polling = false;
    }
    if (!stopped) {
      clearTimeout(pollTimer);
      pollTimer = setTimeout(poll, queueSettings.pollMs);
    }
  };
  const wake = () => void poll();
  queueEvents.on("queued", wake);
  if (kinds.length) pollTimer = setTimeout(poll, 50);
  logger.info({ worker: id, tasks: tasks.map((t) => t.name), jobs: kinds }, "worker started");

  const halt = () => {
    stopped = true;
    queueEvents.off("queued", wake);
    clearTimeout(pollTimer);
    timers.forEach(clearTimeout);
  };
  return {
    id,
    stop: async (graceMs = 10_000) => {
      halt();
      // Give running jobs a moment to finish; then they stop and their leases let another worker resume them.
      const grace = new Promise((resolve) => setTimeout(resolve, Math.max(0, graceMs)).unref());
      await Promise.race([Promise.all(running), grace]);
      stopController.abort();
      await Promise.all(running);
    },
    abandon: () => {
      halt();
      stopController.abort();
    },
  };
}
