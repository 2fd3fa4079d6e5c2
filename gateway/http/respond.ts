import type { Http1Response } from "../http1/server";

/**
 * The gateway's own answers: `application/problem+json` with a stable `code`, like the
 * management API, so clients handle gateway and control-plane errors alike.
 */
export function sendProblem(res: Http1Response, status: number, code: string, detail: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: "about:blank", title: TITLES[status] ?? "Error", status, code, detail });
  res.writeHead(status, { ...headers, "content-type": "application/problem+json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

export function sendJson(res: Http1Response, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
