import net from "node:net";
import type { AgentEventRecord } from "../kit/run-agent";
import { LOG_PREFIX } from "./compile";

/**
 * Reads HAProxy's request log (the `log-format` of compile.ts): HAProxy writes each line into a
 * ring buffer and forwards the ring over TCP to a loopback port only this agent listens on, many
 * lines per write. Each line of a request that matched an API becomes a Meridian analytics event.
 */
export class HaproxyLogReader {
  private server: net.Server | null = null;
  private readonly connections = new Set<net.Socket>();
  private operations: Record<string, string[]> = {};
  /** Lines that did not parse (another format, a line cut at the ring's maximum length). */
  skipped = 0;

  setOperations(operations: Record<string, string[]>): void {
    this.operations = operations;
  }

  /** Listens on 127.0.0.1 at a free port; answers `host:port` for HAProxy's ring `server` line. */
  async start(record: (event: AgentEventRecord) => void): Promise<string> {
    const server = net.createServer((socket) => {
      this.connections.add(socket);
      let pending = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          if (!line) continue;
          const event = parseLogLine(line, this.operations);
          if (event) record(event);
          else if (!line.includes(`${LOG_PREFIX}|`)) this.skipped++;
        }
        // A line longer than the ring's maximum never ends: it is dropped rather than kept growing.
        if (pending.length > 16_384) pending = "";
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

const dash = (v: string) => (v === "-" || v === "" ? null : v);

/**
 * `meridian1|seconds|ms|api|operation|application|keyType|method|status|Ta|Tr|bytesIn|bytesOut|error|path`;
 * null for a request that matched no API, or a line of another form.
 */
export function parseLogLine(line: string, operations: Record<string, string[]>): AgentEventRecord | null {
  const start = line.indexOf(`${LOG_PREFIX}|`);
  if (start < 0) return null;
  const fields = line
    .slice(start)
    .replace(/\r?\n$/, "")
    .split("|");
  if (fields.length < 15) return null;
  const [, seconds, ms, api, op, app, keyType, method, status, total, upstream, bytesIn, bytesOut, error] = fields;
  // The path is last and may itself hold `|`.
  const path = fields.slice(14).join("|");
  const apiId = dash(api);
  if (!apiId) return null;
  const time = Number(seconds) * 1000 + Number(ms);
  const code = Number(status);
  if (!Number.isFinite(time) || !Number.isInteger(code) || code < 100 || code > 599) return null;
  const opIndex = dash(op) === null ? NaN : Number(op);
  const upstreamMs = Number(upstream);
  const kt = dash(keyType);
  const event: AgentEventRecord = {
    time: new Date(time).toISOString(),
    apiId,
    operation: Number.isInteger(opIndex) ? (operations[apiId]?.[opIndex] ?? null) : null,
    applicationId: dash(app),
    keyType: kt === "production" || kt === "sandbox" ? kt : null,
    method,
    path,
    status: code,
    latencyMs: Math.max(0, Number(total) || 0),
    upstreamLatencyMs: upstreamMs >= 0 ? upstreamMs : null,
    requestBytes: Math.max(0, Math.trunc(Number(bytesIn) || 0)),
    responseBytes: Math.max(0, Math.trunc(Number(bytesOut) || 0)),
  };
  const err = dash(error);
  if (err) event.errorCode = err;
  // An application only with a credential that passed: a refused token's sub is not the caller's.
  if (err && (code === 401 || err === "invalid_token")) event.applicationId = null;
  return event;
}
