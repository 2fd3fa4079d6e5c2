import { logger } from "@/lib/log";
import { purgeExpired } from "@/lib/services/maintenance/purge-expired";
import { applyAnalyticsRetention } from "@/lib/services/analytics/apply-retention";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { analyticsSettings } from "@/lib/services/analytics/settings";

export interface Worker {
  stop: () => Promise<void>;
}

interface PeriodicTask {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/** Periodic tasks the worker runs; later issues add durable job handlers beside them. */
export const PERIODIC_TASKS: PeriodicTask[] = [
  { name: "purge-expired", everyMs: 10 * 60_000, run: purgeExpired },
  { name: "analytics-roll-up", everyMs: analyticsSettings.rollupIntervalMs, run: () => rollUpEvents() },
  { name: "analytics-retention", everyMs: analyticsSettings.retentionIntervalMs, run: () => applyAnalyticsRetention() },
];

/** Starts the worker loop in this process. Each task runs alone: a slow run is never overlapped. */
export function startWorker(tasks: PeriodicTask[] = PERIODIC_TASKS): Worker {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
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
  logger.info({ tasks: tasks.map((t) => t.name) }, "worker started");
  return {
    stop: async () => {
      stopped = true;
      timers.forEach(clearTimeout);
      await Promise.all(running);
    },
  };
}
