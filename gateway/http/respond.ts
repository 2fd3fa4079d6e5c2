import { problemJson, type Http1Response } from "../http1/server";

/**
 * The gateway's own answers: `application/problem+json` with a stable `code`, like the
 * management API, so clients handle gateway and control-plane errors alike.
 */
export function sendProblem(res: Http1Response, status: number, code: string, detail: string, headers: Record<string, string> = {}): void {
  const body = problemJson(status, code, detail);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

export function sendJson(res: Http1Response, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}
