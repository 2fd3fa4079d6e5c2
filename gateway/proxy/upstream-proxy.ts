import { UpstreamClient, type ClientOptions, type Exchange, type ResponseHandler, type UpstreamError } from "../http1/client";
import type { RawHeaders } from "../http1/parser";
import type { Http1Request, Http1Response } from "../http1/server";
import type { Upstream } from "../runtime-snapshot";
import { clientResponseHeaders, upstreamRequestHead, type ForwardOptions } from "./headers";

export type ProxyTimeouts = Omit<ClientOptions, "keepAliveTimeoutMs" | "ca">;

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
  { ok: true; status: number } | { ok: false; status: 502 | 504 | 499; code: string; message: string; upstreamLatencyMs: number | null };

/**
 * One upstream exchange relayed to the client. Upstream chunks are written to the client as they
 * come, with back-pressure both ways; errors before the response head become 502/504 for the
 * caller to answer, after it the client connection is cut (a status has already been sent).
 */
class Relay implements ResponseHandler {
  exchange: Exchange | null = null;
  private started = false;
  private status = 0;
  private expected = -1;
  private gone = false;
  private readonly sent = performance.now();

  constructor(
    private readonly res: Http1Response,
    private readonly extraHeaders: Record<string, string> | undefined,
    private readonly timing: ProxyTiming,
    private readonly done: (outcome: ProxyOutcome, timing: ProxyTiming) => void,
  ) {
    timing.abortUpstream = this;
  }

  /** The client went away first. */
  abort(): void {
    this.gone = true;
    this.exchange?.abort();
  }

  onHead(status: number, headers: RawHeaders): void {
    this.timing.upstreamLatencyMs = performance.now() - this.sent;
    this.timing.responseBytes = 0;
    this.status = status;
    this.res.writeHead(status, this.extraHeaders, clientResponseHeaders(headers));
    this.expected = this.res.contentLength ?? -1;
    this.started = true;
  }

  onData(chunk: Buffer): boolean {
    const bytes = (this.timing.responseBytes! += chunk.length);
    // The last chunk of a sized body ends the response in one write.
    if (bytes === this.expected) {
      this.res.end(chunk);
      return true;
    }
    if (this.res.write(chunk)) return true;
    this.res.onDrain(() => this.exchange?.resume());
    return false;
  }

  onEnd(): void {
    this.timing.abortUpstream = undefined;
    if (!this.res.finished) this.res.end();
    this.done({ ok: true, status: this.status }, this.timing);
  }

  onError(error: UpstreamError): void {
    this.timing.abortUpstream = undefined;
    if (this.started) {
      // Half a response cannot be turned into an error: cut the connection instead.
      this.res.destroy();
      return this.done({ ok: true, status: this.status }, this.timing);
    }
    const upstreamLatencyMs = performance.now() - this.sent;
    if (this.gone || error.code === "aborted")
      return this.done(
        { ok: false, status: 499, code: "client_closed", message: "The client went away.", upstreamLatencyMs: null },
        this.timing,
      );
    if (error.code === "connect_timeout" || error.code === "headers_timeout")
      return this.done(
        { ok: false, status: 504, code: "upstream_timeout", message: "The upstream did not answer in time.", upstreamLatencyMs },
        this.timing,
      );
    this.done(
      { ok: false, status: 502, code: "upstream_unreachable", message: "The upstream could not be reached.", upstreamLatencyMs },
      this.timing,
    );
  }
}

/** Forwards requests over pooled keep-alive connections (see `gateway/http1/client.ts`). */
export class UpstreamProxy {
  private readonly client: UpstreamClient;

  constructor(timeouts: ProxyTimeouts) {
    this.client = new UpstreamClient({ ...timeouts, keepAliveTimeoutMs: 30_000 });
  }

  /** Relays the exchange; `done` is called once with how it ended and the `timing` given (a callback, not a promise: one fewer per request). */
  forward<T extends ProxyTiming>(
    req: Http1Request,
    res: Http1Response,
    target: ProxyRequest,
    timing: T,
    done: (outcome: ProxyOutcome, timing: T) => void,
  ): void {
    const { upstream } = target;
    const { head, hasLength } = upstreamRequestHead(req, upstream.basePath + target.path, upstream.target.hostHeader, target);
    const relay = new Relay(res, target.extraHeaders, timing, done as (outcome: ProxyOutcome, timing: ProxyTiming) => void);
    relay.exchange = this.client.request(
      {
        origin: upstream.target,
        method: req.method,
        head,
        body: req.hasBody ? req : null,
        bodyHasLength: hasLength,
        headersTimeoutMs: target.headersTimeoutMs,
      },
      relay,
    );
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
