import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, type Dispatcher } from "undici";
import type { Upstream } from "../runtime-snapshot";
import { clientResponseHeaders, upstreamRequestHeaders, type ForwardOptions } from "./headers";

export interface ProxyTimeouts {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** Filled in as the exchange goes, so that whoever observes the response's end sees them. */
export interface ProxyTiming {
  upstreamLatencyMs: number | null;
  responseBytes: number | null;
  /** Set while the upstream exchange runs: cancels it when the client goes away. */
  abortUpstream?: { abort(): void };
}

export interface ProxyRequest extends ForwardOptions {
  upstream: Upstream;
  /** Path after the upstream's base path, with the query string. */
  path: string;
  headersTimeoutMs?: number;
  /** Headers the gateway adds to the response (CORS, rate limits). */
  extraHeaders?: Record<string, string>;
}

export type ProxyOutcome =
  | { ok: true; status: number }
  | { ok: false; status: 502 | 504 | 499; code: string; message: string; upstreamLatencyMs: number | null };

const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);

class ClientGone extends Error {}

/**
 * One upstream exchange, as an undici handler. A class rather than closures: the gateway runs
 * its TypeScript through a loader that wraps every closure created per request in a naming
 * helper, which the profile showed.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private gone = false;
  private started = false;
  private status = 0;
  private expected = -1;
  private readonly sent = performance.now();

  constructor(
    private readonly res: ServerResponse,
    private readonly extraHeaders: Record<string, string> | undefined,
    private readonly timing: ProxyTiming,
    private readonly resolve: (outcome: ProxyOutcome) => void,
  ) {
    timing.abortUpstream = this;
  }

  /** Called when the client goes away first. */
  abort(): void {
    this.gone = true;
    this.controller?.abort(new ClientGone());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.gone) controller.abort(new ClientGone());
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return;
    this.timing.upstreamLatencyMs = performance.now() - this.sent;
    this.timing.responseBytes = 0;
    this.status = statusCode;
    const length = headers["content-length"];
    this.expected = typeof length === "string" ? Number(length) : -1;
    const out = clientResponseHeaders(headers);
    if (this.extraHeaders) Object.assign(out, this.extraHeaders);
    this.res.writeHead(statusCode, out);
    this.started = true;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const bytes = (this.timing.responseBytes! += chunk.length);
    // The last chunk of a sized body ends the response in one write: a separate end() costs
    // another (empty) socket write per request, which the profile showed.
    if (bytes === this.expected) {
      this.res.end(chunk);
      return;
    }
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once("drain", () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.timing.abortUpstream = undefined;
    if (!this.res.writableEnded) this.res.end();
    this.resolve({ ok: true, status: this.status });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.timing.abortUpstream = undefined;
    if (this.started) {
      // Half a response cannot be turned into an error: cut the connection instead.
      this.res.destroy();
      return this.resolve({ ok: true, status: this.status });
    }
    const upstreamLatencyMs = performance.now() - this.sent;
    if (this.gone || error instanceof ClientGone) return this.resolve({ ok: false, status: 499, code: "client_closed", message: "The client went away.", upstreamLatencyMs: null });
    const code = (error as { code?: string }).code ?? "";
    if (TIMEOUTS.has(code)) return this.resolve({ ok: false, status: 504, code: "upstream_timeout", message: "The upstream did not answer in time.", upstreamLatencyMs });
    this.resolve({ ok: false, status: 502, code: "upstream_unreachable", message: "The upstream could not be reached.", upstreamLatencyMs });
  }
}

/**
 * Forwards a request over one pooled, keep-alive agent. It uses undici's handler interface
 * rather than `request()` + `pipeline()`: the profile showed the response stream, the pipeline
 * and their abort controllers costing more than the proxying itself. Upstream chunks are
 * written to the client as they come, with back-pressure (pause the upstream while the client
 * is slow). Errors before the response headers become 502/504 for the caller to answer;
 * after them, the client connection is cut, since a status has already been sent.
 */
export class UpstreamProxy {
  private readonly agent: Agent;

  constructor(private readonly timeouts: ProxyTimeouts) {
    this.agent = new Agent({
      connectTimeout: timeouts.connectTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.bodyTimeoutMs,
      keepAliveTimeout: 30_000,
      // One request per connection at a time: pipelining would let a slow response hold up
      // the ones queued behind it.
      pipelining: 1,
    });
  }

  forward(req: IncomingMessage, res: ServerResponse, target: ProxyRequest, timing: ProxyTiming): Promise<ProxyOutcome> {
    const hasBody = req.headers["content-length"] !== undefined ? req.headers["content-length"] !== "0" : req.headers["transfer-encoding"] !== undefined;
    return new Promise((resolve) => {
      const exchange = new Exchange(res, target.extraHeaders, timing, resolve);
      this.agent.dispatch(
        {
          origin: target.upstream.origin,
          path: target.upstream.basePath + target.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: upstreamRequestHeaders(req, target),
          body: hasBody ? req : null,
          headersTimeout: target.headersTimeoutMs ?? this.timeouts.headersTimeoutMs,
        },
        exchange,
      );
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
