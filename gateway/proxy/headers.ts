import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never cross a proxy. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Headers that the gateway sets itself and must not take from the client. */
const REPLACED = new Set(["host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"]);

function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  // The common values name no extra header: skip the parsing (it showed in the profile).
  if (!value || value === "keep-alive" || value === "close" || value === "Keep-Alive") return null;
  const tokens = (Array.isArray(value) ? value.join(",") : value).split(",").map((t) => t.trim().toLowerCase());
  const named = tokens.filter((t) => t !== "" && t !== "close" && t !== "keep-alive");
  return named.length ? new Set(named) : null;
}

export interface ForwardOptions {
  stripBearer: boolean;
  stripApiKey: boolean;
}

/**
 * The headers sent upstream: the client's, less hop-by-hop ones, less the credential the gateway
 * consumed (the backend trusts the gateway, not the caller's token), plus X-Forwarded-*.
 */
export function upstreamRequestHeaders(req: IncomingMessage, options: ForwardOptions): Record<string, string | string[]> {
  const source = req.headers;
  const alsoHop = connectionTokens(source.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in source) {
    if (HOP_BY_HOP.has(name) || REPLACED.has(name) || alsoHop?.has(name)) continue;
    if (options.stripApiKey && (name === "apikey" || name === "x-api-key")) continue;
    if (name === "authorization" && options.stripBearer && /^bearer /i.test(source.authorization ?? "")) continue;
    const value = source[name];
    if (value !== undefined) out[name] = value;
  }
  const client = req.socket.remoteAddress ?? "";
  const prior = source["x-forwarded-for"];
  out["x-forwarded-for"] = prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${client}` : client;
  out["x-forwarded-proto"] = "http";
  if (source.host) out["x-forwarded-host"] = source.host;
  return out;
}

/** The upstream's response headers, less hop-by-hop ones. */
export function clientResponseHeaders(source: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const alsoHop = connectionTokens(source.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in source) {
    if (HOP_BY_HOP.has(name) || alsoHop?.has(name)) continue;
    const value = source[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
