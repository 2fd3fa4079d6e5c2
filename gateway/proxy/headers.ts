import { lowerName, type RawHeaders } from "../http1/parser";
import type { Http1Request } from "../http1/server";

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never cross a proxy. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Headers that the gateway sets itself and must not take from the client as they are: the
 * upstream's Host, the forwarding fields (written from what the gateway knows, extending a
 * trusted front proxy's), the body's framing (written for the body actually sent), and Expect
 * (the gateway answers 100-continue itself).
 */
const REPLACED = new Set([
  "host",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "forwarded",
  "x-real-ip",
  "via",
  "content-length",
  "expect",
]);

/** The gateway's name in Via (RFC 9110 §7.6.3). */
const VIA = "1.1 meridian";
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A Forwarded parameter value: a token as it is, anything else quoted (RFC 7239 §4). */
function forwardedValue(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** A Forwarded node for an address: IPv6 in brackets, and so quoted (RFC 7239 §6). */
function forwardedNode(address: string): string {
  return address.includes(":") ? `"[${address}]"` : address;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The forwarding fields sent upstream. From an ordinary client they are the gateway's own:
 * the client's address (X-Forwarded-For, X-Real-IP, Forwarded `for`), the scheme it used
 * (`http`: the gateway serves plain HTTP), and the Host it asked for; whatever the client sent
 * in them is dropped, so that nobody can pose as another address to the backend. From a
 * trusted front proxy (`--trusted-proxies`), its fields are kept and extended: its address is
 * appended to X-Forwarded-For and Forwarded, and its X-Forwarded-Proto and X-Forwarded-Host
 * stand (the scheme and host the original client used).
 */
function forwardingFields(req: Http1Request): string {
  const h = req.headers;
  const client = req.remoteAddress;
  const host = h.host;
  if (!req.fromTrustedProxy) {
    const forwardedHost = host === undefined ? "" : `;host=${forwardedValue(host)}`;
    return `x-forwarded-for: ${client}\r\nx-real-ip: ${client}\r\nx-forwarded-proto: http\r\n${host === undefined ? "" : `x-forwarded-host: ${host}\r\n`}forwarded: for=${forwardedNode(client)}${forwardedHost};proto=http\r\nvia: ${VIA}\r\n`;
  }
  const priorFor = joined(h["x-forwarded-for"]);
  const claimedProto = joined(h["x-forwarded-proto"])?.split(",")[0].trim().toLowerCase();
  const proto = claimedProto === "https" || claimedProto === "http" ? claimedProto : "http";
  const realIp = joined(h["x-real-ip"]) ?? priorFor?.split(",")[0].trim() ?? client;
  const forwardedHost = joined(h["x-forwarded-host"]) ?? host;
  const element = `for=${forwardedNode(client)}${host === undefined ? "" : `;host=${forwardedValue(host)}`};proto=${proto}`;
  const priorForwarded = joined(h.forwarded);
  const priorVia = joined(h.via);
  return (
    `x-forwarded-for: ${priorFor ? `${priorFor}, ${client}` : client}\r\nx-real-ip: ${realIp}\r\nx-forwarded-proto: ${proto}\r\n` +
    (forwardedHost === undefined ? "" : `x-forwarded-host: ${forwardedHost}\r\n`) +
    `forwarded: ${priorForwarded ? `${priorForwarded}, ${element}` : element}\r\nvia: ${priorVia ? `${priorVia}, ${VIA}` : VIA}\r\n`
  );
}

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
 * caller's token), plus the upstream's Host, the forwarding fields and the body's framing.
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
  out += forwardingFields(req);
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
