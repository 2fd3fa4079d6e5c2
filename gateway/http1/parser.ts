/**
 * Node.js's own HTTP/1.1 parser (llhttp, native), the one behind `node:http`, used without the
 * request and response objects around it. It is reached through `node:_http_common`, a module
 * Node keeps for compatibility but does not document; `assertParserContract` checks at start-up
 * that it still has the shape used here, so a Node.js release that changes it fails loudly
 * (and `gateway/http1/parser.test.ts` fails in CI) instead of misparsing.
 *
 * Why not `node:http`: the gateway's profile showed its per-request objects (streams for each
 * request and response, events, header bookkeeping) costing more CPU than the proxying itself.
 * Why not a JavaScript parser: llhttp is faster, and it carries Node's fixes for request
 * smuggling (conflicting Content-Length and Transfer-Encoding, bare CR or LF, obsolete folding
 * are refused because the parser runs in its strict mode).
 */
import httpCommon from "node:_http_common";

/** Raw header list as the parser gives it: name, value, name, value… */
export type RawHeaders = string[];

export interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Bytes consumed, or an Error with `code` (`HPE_…`) and `bytesParsed`. */
  execute(data: Buffer): number | ParseError;
  finish(): number | ParseError | undefined;
  close(): void;
  free(): void;
  [callback: number]: unknown;
}

export interface ParseError extends Error {
  code: string;
  reason?: string;
  bytesParsed?: number;
}

interface ParserConstructor {
  new (): NativeParser;
  REQUEST: number;
  RESPONSE: number;
  kOnMessageBegin: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

const common = httpCommon as { HTTPParser?: ParserConstructor; methods?: string[] };

export function assertParserContract(): void {
  const P = common.HTTPParser;
  const ok =
    typeof P === "function" &&
    [P.REQUEST, P.RESPONSE, P.kOnMessageBegin, P.kOnHeaders, P.kOnHeadersComplete, P.kOnBody, P.kOnMessageComplete].every(
      (n) => typeof n === "number",
    ) &&
    typeof P.prototype.initialize === "function" &&
    typeof P.prototype.execute === "function" &&
    Array.isArray(common.methods);
  if (!ok)
    throw new Error(`This Node.js (${process.version}) no longer exposes the HTTP parser the gateway uses (node:_http_common HTTPParser).`);
}
assertParserContract();

const HTTPParser = common.HTTPParser!;
/** Method names by the parser's method index. */
export const METHODS: readonly string[] = common.methods!;

export const REQUEST = HTTPParser.REQUEST;
export const RESPONSE = HTTPParser.RESPONSE;

/** Callbacks of a parser; `this` is unused. Headers-complete returns 1 to tell the parser the message has no body (a response to HEAD). */
export interface ParserHooks {
  /** The first byte of a message has been read. */
  onMessageBegin?(): void;
  onHeadersComplete(
    versionMajor: number,
    versionMinor: number,
    headers: RawHeaders | undefined,
    method: number | undefined,
    url: string | undefined,
    statusCode: number | undefined,
    statusMessage: string | undefined,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number;
  onBody(chunk: Buffer): void;
  onMessageComplete(): void;
}

/**
 * Fields the parser hands over before headers-complete: those of a head with more than 32
 * fields or split over several reads, and a chunked message's trailers (just before
 * message-complete). Reset at the start of every message, so nothing of one message ever
 * becomes part of the next.
 */
export class PartialHead {
  headers: RawHeaders = [];
  url = "";
  add(headers: RawHeaders, url: string): void {
    for (const h of headers) this.headers.push(h);
    this.url += url;
  }
  /** Drops whatever is held (a new message begins, or trailers were read). */
  reset(): void {
    if (this.headers.length !== 0) this.headers = [];
    this.url = "";
  }
  take(): { headers: RawHeaders; url: string } {
    const taken = { headers: this.headers, url: this.url };
    this.headers = [];
    this.url = "";
    return taken;
  }
}

/** Default cap on the size of a request or response head (bytes), as Node's. */
export const MAX_HEADER_SIZE = 16 * 1024;

export function createParser(type: number, hooks: ParserHooks, partial: PartialHead, maxHeaderSize = MAX_HEADER_SIZE): NativeParser {
  const parser = new HTTPParser();
  // Strict: no lenient flags (0).
  parser.initialize(type, {}, maxHeaderSize, 0);
  parser[HTTPParser.kOnMessageBegin] = hooks.onMessageBegin ? hooks.onMessageBegin.bind(hooks) : () => {};
  parser[HTTPParser.kOnHeaders] = (headers: RawHeaders, url: string) => partial.add(headers, url);
  // The parser calls back with itself as `this`: the hooks are bound to their owner.
  parser[HTTPParser.kOnHeadersComplete] = hooks.onHeadersComplete.bind(hooks);
  parser[HTTPParser.kOnBody] = hooks.onBody.bind(hooks);
  parser[HTTPParser.kOnMessageComplete] = hooks.onMessageComplete.bind(hooks);
  parser[HTTPParser.kOnExecute] = () => {};
  return parser;
}

/** Raw headers → Node-style object: lower-case names, repeated values joined by ", " (set-cookie kept as a list, the first of some singletons kept). */
export function headerObject(raw: RawHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = lowerName(raw[i]);
    const value = raw[i + 1];
    const prior = out[name];
    if (prior === undefined) out[name] = name === "set-cookie" ? [value] : value;
    else if (Array.isArray(prior)) prior.push(value);
    else if (!SINGLETONS.has(name)) out[name] = `${prior}, ${value}`;
  }
  return out;
}

/** Headers of which only the first is kept when repeated, as Node does. */
const SINGLETONS = new Set([
  "content-type",
  "content-length",
  "user-agent",
  "referer",
  "host",
  "authorization",
  "proxy-authorization",
  "if-modified-since",
  "if-unmodified-since",
  "from",
  "location",
  "max-forwards",
  "retry-after",
  "etag",
  "last-modified",
  "server",
  "age",
  "expires",
]);

const lowered = new Map<string, string>();
/** Header names repeat from request to request: their lower-case forms are remembered (bounded). */
export function lowerName(name: string): string {
  let lower = lowered.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowered.size < 2_000) lowered.set(name, lower);
  }
  return lower;
}
