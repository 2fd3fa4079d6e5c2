import http from "node:http";
import https from "node:https";

/**
 * A small HTTP client for connectors that speak plain REST (Kong's Admin API, the Kubernetes
 * API). Node's own modules, because a private CA certificate must apply to one request only,
 * never to the whole process.
 */
export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM certificate(s) trusted for this request, in addition to nothing else. */
  ca?: string;
  signal: AbortSignal;
  /** Bytes of the response body kept; the rest is discarded. */
  maxBody?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpRequest(url: string, req: HttpRequest): Promise<HttpResponse> {
  const target = new URL(url);
  const mod = target.protocol === "https:" ? https : http;
  const maxBody = req.maxBody ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const request = mod.request(
      target,
      {
        method: req.method ?? "GET",
        headers: { accept: "application/json", ...req.headers },
        signal: req.signal,
        ...(target.protocol === "https:" && req.ca ? { ca: req.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < maxBody) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8").slice(0, maxBody) }),
        );
        res.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(req.body);
  });
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function jsonBody(res: HttpResponse): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(res.body);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "the connection timed out",
  EPIPE: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate is not trusted",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not name this host",
  EPROTO: "the TLS handshake failed",
};

/** The cause of a transport failure, if the error is one: "the connection was refused". */
export function networkFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    const e = current as { code?: unknown; name?: unknown; errors?: unknown[] };
    if (e.name === "AbortError" || e.name === "TimeoutError" || e.code === "ABORT_ERR") return "no answer came within the time limit";
    if (typeof e.code === "string" && NETWORK_CODES[e.code]) return NETWORK_CODES[e.code];
    if (typeof e.code === "string" && e.code.startsWith("ERR_TLS")) return "the TLS handshake failed";
    // AggregateError (happy eyeballs): the first attempt says enough.
    current = Array.isArray(e.errors) && e.errors.length ? e.errors[0] : (current as { cause?: unknown }).cause;
  }
  return undefined;
}
