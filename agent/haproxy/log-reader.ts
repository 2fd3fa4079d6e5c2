import net from "node:net";
import type { AgentEventRecord } from "../kit/run-agent";
import type { AgentEventGroup, AgentEventGroupFields, AgentRequestSink } from "../kit/types";
import { LOG_PREFIX } from "./compile";

/**
 * Reads HAProxy's request log (the `log-format` of compile.ts): HAProxy writes each line into a
 * ring buffer and forwards the ring over TCP to a loopback port only this agent listens on, many
 * lines per write. Each line of a request that matched an API becomes a Meridian analytics event.
 *
 * It runs once per request that HAProxy serves, so it makes no object per line: the separators'
 * positions are found in the received text, numbers are read in place, and the members that all
 * calls of one operation by one caller share are looked up by their raw text in a small map.
 */
export class HaproxyLogReader {
  private server: net.Server | null = null;
  private readonly connections = new Set<net.Socket>();
  private lines: LogLines | null = null;
  private operations: Record<string, string[]> = {};
  /** Lines that did not parse (another format, a line cut at the ring's maximum length). */
  get skipped(): number {
    return this.lines?.skipped ?? 0;
  }

  setOperations(operations: Record<string, string[]>): void {
    this.operations = operations;
    this.lines?.setOperations(operations);
  }

  /** Listens on 127.0.0.1 at a free port; answers `host:port` for HAProxy's ring `server` line. */
  async start(sink: AgentRequestSink): Promise<string> {
    const lines = new LogLines(sink, this.operations);
    this.lines = lines;
    const server = net.createServer((socket) => {
      this.connections.add(socket);
      let pending = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        const text = pending ? pending + chunk : chunk;
        let from = 0;
        for (let nl = text.indexOf("\n", from); nl >= 0; nl = text.indexOf("\n", from)) {
          if (nl > from) lines.read(text, from, nl);
          from = nl + 1;
        }
        pending = from === 0 ? text : text.slice(from);
        // A line longer than the ring's maximum never ends: it is dropped rather than kept growing.
        if (pending.length > 16_384) pending = "";
        // Lines wait in the kernel's socket buffer (and HAProxy's ring) for a few ms, then come
        // as one large read: a read per handful of lines cost the agent more than the lines.
        socket.pause();
        setTimeout(() => socket.resume(), READ_EVERY_MS).unref();
      });
      socket.on("error", () => undefined);
      socket.on("close", () => this.connections.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** How often the log socket is read. */
const READ_EVERY_MS = 10;

/** Fields of a line: `meridian1|seconds|ms|api|operation|application|keyType|method|status|Ta|Tr|bytesIn|bytesOut|error|path`. */
const FIELDS = 15;
const PREFIX = `${LOG_PREFIX}|`;
/** Kinds of calls remembered; past this (methods no operation has, say) the map starts again. */
const MAX_GROUPS = 10_000;

/** The lines' reader: each line of a request that matched an API becomes one request of the sink. */
export class LogLines {
  /** Raw `api|operation|application|keyType|method` (with a mark when the application is dropped) → group. */
  private readonly groups = new Map<string, AgentEventGroup>();
  private readonly at = new Array<number>(FIELDS);
  skipped = 0;

  constructor(
    private readonly sink: AgentRequestSink,
    private operations: Record<string, string[]>,
  ) {}

  setOperations(operations: Record<string, string[]>): void {
    this.operations = operations;
    this.groups.clear();
  }

  /**
   * The line `text[start, end)` (without its newline). Lines of another form are counted in
   * `skipped`; lines of requests that matched no API are left out.
   */
  read(text: string, start: number, end: number): void {
    if (text.charCodeAt(end - 1) === 13) end--;
    const prefix = text.indexOf(PREFIX, start);
    if (prefix < 0 || prefix >= end) {
      this.skipped++;
      return;
    }
    // at[i]: where field i starts; the path (last) may itself hold `|`.
    const at = this.at;
    at[0] = prefix;
    let n = 1;
    for (let i = prefix + PREFIX.length - 1; n < FIELDS; n++) {
      i = text.indexOf("|", i);
      if (i < 0 || i >= end) break;
      at[n] = ++i;
    }
    if (n < FIELDS) {
      this.skipped++;
      return;
    }
    // No API (`-`): a request no route matched.
    if (at[4] - at[3] === 2 && text.charCodeAt(at[3]) === 45) return;
    const time = int(text, at[1], at[2] - 1) * 1000 + int(text, at[2], at[3] - 1);
    const status = int(text, at[8], at[9] - 1);
    if (!Number.isFinite(time) || !(status >= 100 && status <= 599)) {
      this.skipped++;
      return;
    }
    const error =
      at[14] - at[13] > 1 && !(at[14] - at[13] === 2 && text.charCodeAt(at[13]) === 45) ? text.slice(at[13], at[14] - 1) : undefined;
    // An application only with a credential that passed: a refused token's sub is not the caller's.
    const anonymous = error !== undefined && (status === 401 || error === "invalid_token");
    const key = anonymous ? `${text.slice(at[3], at[8] - 1)}|-` : text.slice(at[3], at[8] - 1);
    let group = this.groups.get(key);
    if (group === undefined) {
      if (this.groups.size >= MAX_GROUPS) this.groups.clear();
      group = this.sink.group(this.groupFields(text, anonymous));
      this.groups.set(key, group);
    }
    const total = int(text, at[9], at[10] - 1);
    const upstream = int(text, at[10], at[11] - 1);
    this.sink.request(
      group,
      time,
      text.slice(at[14], end),
      status,
      total > 0 ? total : 0,
      upstream >= 0 ? upstream : null,
      Math.max(0, int(text, at[11], at[12] - 1) || 0),
      Math.max(0, int(text, at[12], at[13] - 1) || 0),
      error,
    );
  }

  private groupFields(text: string, anonymous: boolean): AgentEventGroupFields {
    const at = this.at;
    const field = (i: number) => {
      const v = text.slice(at[i], at[i + 1] - 1);
      return v === "-" || v === "" ? null : v;
    };
    const apiId = field(3)!;
    const op = int(text, at[4], at[5] - 1);
    const keyType = field(6);
    return {
      apiId,
      operation: Number.isInteger(op) ? (this.operations[apiId]?.[op] ?? null) : null,
      applicationId: anonymous ? null : field(5),
      keyType: keyType === "production" || keyType === "sandbox" ? keyType : null,
      method: text.slice(at[7], at[8] - 1),
    };
  }
}

/** The decimal integer `text[from, to)` (an optional `-`, then digits); NaN for anything else (`-`, empty). */
function int(text: string, from: number, to: number): number {
  let negative = false;
  if (text.charCodeAt(from) === 45) {
    negative = true;
    from++;
  }
  if (from >= to) return NaN;
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

/** One line as an event (tests, diagnostics); null for a request that matched no API, or a line of another form. */
export function parseLogLine(line: string, operations: Record<string, string[]>): AgentEventRecord | null {
  let event: AgentEventRecord | null = null;
  const sink: AgentRequestSink = {
    group: (fields) => JSON.stringify(fields) as AgentEventGroup,
    request: (group, timeMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode) => {
      event = {
        ...(JSON.parse(group) as AgentEventGroupFields),
        time: new Date(timeMs).toISOString(),
        path,
        status,
        latencyMs,
        upstreamLatencyMs,
        requestBytes,
        responseBytes,
        ...(errorCode === undefined ? {} : { errorCode }),
      };
    },
  };
  const end = line.endsWith("\n") ? line.length - 1 : line.length;
  new LogLines(sink, operations).read(line, 0, end);
  return event;
}
