import { httpRequest, jsonBody, networkFailure, type HttpResponse } from "../http";
import { ConnectorError } from "../types";
import { kongMode, type KongConfig } from "./descriptor";

/**
 * A thin Kong Admin API client: the token header, the workspace or Konnect control-plane
 * prefix, retries of throttled and failing calls, and `offset` paging in one place.
 */

const ATTEMPTS = 4;
const PAGE_SIZE = 1000;

export interface KongClient {
  config: KongConfig;
  /** Where entities live: the Admin API root, a workspace under it, or a Konnect control plane's core entities. */
  base: string;
  status(): Promise<HttpResponse>;
  firstService(): Promise<HttpResponse>;
  messageOf(res: HttpResponse): string | undefined;
  /** One call, retried on 429, 5xx and dropped connections; any other answer is returned as is. */
  call(method: string, path: string, body?: unknown): Promise<HttpResponse>;
  /** A call that must succeed: 2xx, else a ConnectorError naming what was being done. */
  must(method: string, path: string, doing: string, body?: unknown): Promise<Record<string, unknown> | undefined>;
  /** Every page of a listing, following `offset`. */
  listAll<T = Record<string, unknown>>(path: string, doing: string, query?: Record<string, string>): Promise<T[]>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export function entitiesBase(config: KongConfig): string {
  if (kongMode(config) === "konnect") return `${config.adminUrl}/v2/control-planes/${config.controlPlaneId}/core-entities`;
  return `${config.adminUrl}${config.workspace ? `/${encodeURIComponent(config.workspace)}` : ""}`;
}

export function kongClient(config: KongConfig, signal?: AbortSignal, options: { retryDelayMs?: number } = {}): KongClient {
  const konnect = kongMode(config) === "konnect";
  const headers: Record<string, string> = {};
  if (config.adminToken) {
    if (konnect) headers.authorization = `Bearer ${config.adminToken}`;
    else headers["Kong-Admin-Token"] = config.adminToken;
  }
  const base = entitiesBase(config);
  const status = konnect ? `${config.adminUrl}/v2/control-planes/${config.controlPlaneId}` : `${config.adminUrl}/status`;
  const delay = options.retryDelayMs ?? 200;
  const aborter = signal ?? new AbortController().signal;

  const once = (method: string, url: string, body?: unknown) =>
    httpRequest(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(config.caCertificate ? { ca: config.caCertificate } : {}),
      signal: aborter,
      maxBody: 16 * 1024 * 1024,
    });

  const messageOf = (res: HttpResponse): string | undefined => {
    const b = jsonBody(res);
    const message = b?.message;
    const fields = b?.fields;
    const text = typeof message === "string" ? message : undefined;
    if (fields && typeof fields === "object") return `${text ?? "invalid"}: ${JSON.stringify(fields).slice(0, 400)}`;
    return text?.slice(0, 400);
  };

  async function call(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const url = path.startsWith("http") ? path : `${base}${path}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await once(method, url, body);
        if ((res.status === 429 || res.status >= 500) && attempt < ATTEMPTS) {
          const retryAfter = Number(res.headers["retry-after"]);
          await sleep(
            Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : delay * 2 ** (attempt - 1),
            signal,
          );
          continue;
        }
        return res;
      } catch (error) {
        const cause = networkFailure(error);
        if (signal?.aborted || !cause || cause.includes("time limit")) {
          throw new ConnectorError("timeout", `Kong at ${config.adminUrl} did not answer ${method} ${path}: ${cause ?? String(error)}.`);
        }
        if (attempt >= ATTEMPTS) throw new ConnectorError("unavailable", `Could not reach Kong at ${config.adminUrl}: ${cause}.`);
        await sleep(delay * 2 ** (attempt - 1), signal);
      }
    }
  }

  async function must(method: string, path: string, doing: string, body?: unknown) {
    const res = await call(method, path, body);
    if (res.status >= 200 && res.status < 300) return res.status === 204 ? undefined : jsonBody(res);
    // A listing that is not found: the workspace itself is missing.
    if (res.status === 404 && method === "GET" && config.workspace && /^\/[a-z-]+\?/.test(path))
      throw new ConnectorError("not_found", `Kong has no workspace named ${config.workspace}.`, false, 404);
    throw errorOf(res, doing, config);
  }

  async function listAll<T>(path: string, doing: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let offset: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const q = new URLSearchParams({ size: String(PAGE_SIZE), ...query, ...(offset ? { offset } : {}) });
      const body = (await must("GET", `${path}?${q}`, doing)) as { data?: T[]; offset?: string | null; next?: string | null } | undefined;
      out.push(...(body?.data ?? []));
      offset = body?.offset ?? undefined;
      if (!offset) return out;
    }
    throw new ConnectorError("invalid", `Kong kept answering pages while ${doing}.`);
  }

  return {
    config,
    base,
    status: () => once("GET", status),
    firstService: () => once("GET", `${base}/services?size=1`),
    messageOf,
    call,
    must,
    listAll,
  };
}

/** A failed Admin API answer as a ConnectorError: the status says whether a retry can help. */
export function errorOf(res: HttpResponse, doing: string, config: KongConfig): ConnectorError {
  const b = jsonBody(res);
  const message = typeof b?.message === "string" ? b.message : `HTTP ${res.status}`;
  const fields = b?.fields && typeof b.fields === "object" ? ` ${JSON.stringify(b.fields).slice(0, 600)}` : "";
  const what = `Kong answered ${res.status} while ${doing}: ${message}${fields}`;
  if (res.status === 401) return new ConnectorError("unauthorized", `${what}. Check the admin token.`, false, 401);
  if (res.status === 403) return new ConnectorError("forbidden", `${what}. The admin token may not do this.`, false, 403);
  if (res.status === 404 && config.workspace && /workspace/i.test(message))
    return new ConnectorError("not_found", `Kong has no workspace named ${config.workspace}.`, false, 404);
  if (res.status === 404) return new ConnectorError("not_found", what, false, 404);
  if (res.status === 409) return new ConnectorError("conflict", what, false, 409);
  if (res.status === 429) return new ConnectorError("throttled", what, true, 429);
  if (res.status >= 500) return new ConnectorError("unavailable", what, true, res.status);
  return new ConnectorError("invalid", what, false, res.status);
}
