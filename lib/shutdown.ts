/**
 * The web process's "shutting down" signal. `next start` stops listening on SIGTERM and then
 * waits for every request in flight, so a gateway's 30-second long poll would hold the drain
 * open: long polls watch this signal and answer at once instead (instrumentation.ts arms it).
 */
const key = Symbol.for("meridian.shutdown");
type GlobalWithShutdown = typeof globalThis & { [key]?: AbortController };
const g = globalThis as GlobalWithShutdown;

function controller(): AbortController {
  return (g[key] ??= new AbortController());
}

/** Aborted once the process has been asked to stop. Never aborted where nothing armed it. */
export function shutdownSignal(): AbortSignal {
  return controller().signal;
}

/** Aborts the shutdown signal on SIGTERM or SIGINT. Only for processes that handle those signals already. */
export function armShutdownSignal(): void {
  const abort = () => controller().abort();
  process.once("SIGTERM", abort);
  process.once("SIGINT", abort);
}
