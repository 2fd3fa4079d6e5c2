import http from "node:http";

/**
 * The web process's "shutting down" signal. `next start` stops listening on SIGTERM and then
 * waits for every request in flight and for every keep-alive connection to end, so a gateway's
 * 30-second long poll, or a client that keeps reusing its connection, would hold the drain open:
 * long polls watch this signal and answer at once, and responses close their connection.
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

/**
 * From now on every response carries `Connection: close` and its connection ends with it, so
 * that keep-alive clients move to another replica (or find the port closed) instead of keeping
 * this one draining. Node's server offers no switch for this; the response's own
 * `shouldKeepAlive` flag, set before the headers go out, is what it reads.
 */
function closeConnectionsAfterResponses(): void {
  const writeHead = http.ServerResponse.prototype.writeHead;
  http.ServerResponse.prototype.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    this.shouldKeepAlive = false;
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof writeHead;
}

/** Aborts the shutdown signal on SIGTERM or SIGINT. Only for processes that handle those signals already. */
export function armShutdownSignal(): void {
  const abort = () => {
    if (controller().signal.aborted) return;
    closeConnectionsAfterResponses();
    controller().abort();
  };
  process.once("SIGTERM", abort);
  process.once("SIGINT", abort);
}
