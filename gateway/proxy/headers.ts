import { lowerName, type RawHeaders } from "../http1/parser";
import type { Http1Request } from "../http1/server";

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never cross a proxy. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/**
 * Headers that the gateway sets itself and must not take from the client: the upstream's Host,
 * X-Forwarded-*, the body's framing (written for the body actually sent), and Expect (the
 * gateway answers 100-continue itself).
 */
const REPLACED = new Set(["host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "content-length", "expect"]);

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

export interface UpstreamHead {
  /** Request line and header lines, each ending in CRLF (the blank line is the client's to add). */
  head: string;
  /** The body is sent with the client's Content-Length; else chunked (when there is one). */
  hasLength: boolean;
}

/**
 * The request sent upstream: the client's headers (names as sent, in order), less hop-by-hop
 * ones, less the credential the gateway consumed (the backend trusts the gateway, not the
 * caller's token), plus the upstream's Host, X-Forwarded-* and the body's framing.
 */
export function upstreamRequestHead(req: Http1Request, path: string, hostHeader: string, options: ForwardOptions): UpstreamHead {
  const raw = req.rawHeaders;
  const alsoHop = connectionTokens(req.headers.connection);
  let out = `${req.method} ${path} HTTP/1.1\r\nhost: ${hostHeader}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const name = lowerName(raw[i]);
    if (HOP_BY_HOP.has(name) || REPLACED.has(name) || alsoHop?.has(name)) continue;
    if (options.stripApiKey && (name === "apikey" || name === "x-api-key")) continue;
    if (name === "authorization" && options.stripBearer && /^bearer /i.test(raw[i + 1])) continue;
    out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  const client = req.remoteAddress;
  const prior = req.headers["x-forwarded-for"];
  out += `x-forwarded-for: ${prior ? `${Array.isArray(prior) ? prior.join(", ") : prior}, ${client}` : client}\r\nx-forwarded-proto: http\r\n`;
  const host = req.headers.host;
  if (typeof host === "string") out += `x-forwarded-host: ${host}\r\n`;
  const length = req.headers["content-length"];
  if (typeof length === "string") return { head: `${out}content-length: ${length}\r\n`, hasLength: true };
  if (req.hasBody) return { head: `${out}transfer-encoding: chunked\r\n`, hasLength: false };
  return { head: out, hasLength: true };
}

/** The upstream's response headers (name, value, …), less hop-by-hop ones. */
export function clientResponseHeaders(raw: RawHeaders): RawHeaders {
  let alsoHop: Set<string> | null = null;
  for (let i = 0; i < raw.length; i += 2) if (lowerName(raw[i]) === "connection") alsoHop = connectionTokens(raw[i + 1]);
  const out: RawHeaders = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = lowerName(raw[i]);
    if (HOP_BY_HOP.has(name) || alsoHop?.has(name)) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}
