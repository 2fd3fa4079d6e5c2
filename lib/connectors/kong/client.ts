import { httpRequest, jsonBody, type HttpResponse } from "../http";
import type { KongConfig } from "./descriptor";

/** A thin Kong Admin API client: the token header and workspace prefix in one place. */
export function kongClient(config: KongConfig, signal: AbortSignal) {
  const headers: Record<string, string> = config.adminToken ? { "Kong-Admin-Token": config.adminToken } : {};
  const get = (path: string): Promise<HttpResponse> => httpRequest(`${config.adminUrl}${path}`, { headers, signal });
  return {
    status: () => get("/status"),
    /** A workspace-scoped listing of one service: proves the workspace exists and may be read. */
    firstService: () => get(`${config.workspace ? `/${encodeURIComponent(config.workspace)}` : ""}/services?size=1`),
    /** Kong names the cause in `message`. */
    messageOf: (res: HttpResponse): string | undefined => {
      const message = jsonBody(res)?.message;
      return typeof message === "string" ? message.slice(0, 300) : undefined;
    },
  };
}
