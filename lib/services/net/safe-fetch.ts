import dns from "node:dns";
import net from "node:net";
import { Agent, fetch as undiciFetch, type Dispatcher } from "undici";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";

/**
 * Fetches a URL that a user gave us, from the server, without letting that user reach what
 * only the server can reach (SSRF): http and https only; every address the host name resolves
 * to must be public, checked again at connect time on the address actually used (so a DNS
 * answer that changes between the check and the connection cannot slip through); redirects are
 * followed by hand and each hop is checked the same way; a timeout and a size limit bound the
 * work. MERIDIAN_ALLOW_PRIVATE_URLS lifts the address check for private deployments.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Defaults to config.allowPrivateUrls. */
  allowPrivate?: boolean;
  /** Name resolution, replaceable in tests. */
  resolve?: Resolver;
  headers?: Record<string, string>;
  /** GET by default. Redirects are followed for GET and HEAD only. */
  method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  body?: string;
  /** Return 4xx and 5xx answers (with their bodies) instead of throwing: for APIs whose errors say why. */
  returnErrors?: boolean;
}

export interface SafeFetchResult {
  url: string;
  status: number;
  contentType: string | null;
  body: Buffer;
}

const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, including cloud metadata endpoints
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/** True for loopback, private, link-local, unique-local and other non-public addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(bare);
  if (family === 4) return BLOCKED.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return BLOCKED.check(v4, "ipv4");
    return BLOCKED.check(bare, "ipv6");
  }
  // Not an address at all: refuse rather than guess.
  return true;
}

const systemResolver: Resolver = async (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

class BlockedAddressError extends Error {}

async function resolvePublic(hostname: string, resolve: Resolver, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  if (net.isIP(bare)) addresses = [{ address: bare, family: net.isIP(bare) }];
  else {
    try {
      addresses = await resolve(bare);
    } catch {
      throw new AppError("bad_request", `The host name ${hostname} could not be resolved.`);
    }
  }
  if (addresses.length === 0) throw new AppError("bad_request", `The host name ${hostname} could not be resolved.`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      throw new BlockedAddressError(
        `${hostname} resolves to ${blocked.address}, a private, loopback or link-local address. Fetching such addresses is turned off on this server.`,
      );
    }
  }
  return addresses;
}

function dispatcherFor(resolve: Resolver, allowPrivate: boolean): Dispatcher {
  return new Agent({
    connect: {
      // Called by the socket for the host it connects to: the check runs on the very
      // addresses the connection uses.
      lookup(hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) {
        resolvePublic(hostname, resolve, allowPrivate).then(
          (addresses) => {
            const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
            const usable = wanted.length ? wanted : addresses;
            if (options.all) callback(null, usable);
            else callback(null, usable[0].address, usable[0].family);
          },
          (error) => callback(error),
        );
      },
    } as never,
  });
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("bad_request", "The URL is not valid.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("bad_request", "Only http and https URLs can be fetched.");
  if (url.username || url.password) throw new AppError("bad_request", "URLs with credentials are refused.");
  return url;
}

function causeChain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

async function readBounded(
  response: Response | Awaited<ReturnType<typeof undiciFetch>>,
  maxBytes: number,
  controller: AbortController,
): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") || 0);
  if (declared > maxBytes) {
    controller.abort();
    throw new AppError("payload_too_large", `The document at this URL is larger than the limit of ${maxBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        controller.abort();
        throw new AppError("payload_too_large", `The document at this URL is larger than the limit of ${maxBytes} bytes.`);
      }
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

export async function safeFetch(rawUrl: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const allowPrivate = options.allowPrivate ?? config.allowPrivateUrls;
  const resolve = options.resolve ?? systemResolver;
  const dispatcher = dispatcherFor(resolve, allowPrivate);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
  let url = checkUrl(rawUrl);
  try {
    for (let hop = 0; ; hop++) {
      // Checked before connecting too, for a clear message (the connect-time check is the guard).
      await resolvePublic(url.hostname, resolve, allowPrivate);
      const response = await undiciFetch(url, {
        dispatcher,
        redirect: "manual",
        signal: controller.signal,
        method: options.method ?? "GET",
        body: options.body,
        headers: { "user-agent": "Meridian", ...options.headers },
      });
      const followable = (options.method ?? "GET") === "GET" || options.method === "HEAD";
      if (followable && [301, 302, 303, 307, 308].includes(response.status)) {
        const location = response.headers.get("location");
        await response.body?.cancel().catch(() => {});
        if (!location) throw new AppError("upstream_unavailable", `The server answered ${response.status} without a location.`);
        if (hop >= maxRedirects) throw new AppError("upstream_unavailable", `Too many redirects (more than ${maxRedirects}).`);
        url = checkUrl(new URL(location, url).toString());
        continue;
      }
      if (!options.returnErrors && (response.status < 200 || response.status > 299)) {
        await response.body?.cancel().catch(() => {});
        throw new AppError("upstream_unavailable", `The server answered ${response.status} for ${url.toString()}.`);
      }
      const body = await readBounded(response, maxBytes, controller);
      return { url: url.toString(), status: response.status, contentType: response.headers.get("content-type"), body };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const chain = causeChain(error);
    const blocked = chain.find((e) => e instanceof BlockedAddressError) as BlockedAddressError | undefined;
    if (blocked) throw new AppError("bad_request", blocked.message);
    if (controller.signal.aborted)
      throw new AppError("upstream_timeout", `The server did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
    const reason = chain.map((e) => (e as { code?: string }).code).find(Boolean);
    throw new AppError("upstream_unavailable", `The URL could not be fetched${reason ? ` (${reason})` : ""}.`);
  } finally {
    clearTimeout(timer);
    await dispatcher.close().catch(() => {});
  }
}
