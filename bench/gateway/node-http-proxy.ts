/**
 * A proxy on Node's stock HTTP stack, for comparison: node:http in, undici out, the response
 * streamed back, and nothing else (no routing, credentials, limits, metrics or events). The
 * gateway used these until its own HTTP/1.1 layer replaced them; this row shows what they cost.
 */
import http from "node:http";
import { Agent, type Dispatcher } from "undici";

const upstream = process.env.UPSTREAM ?? "http://127.0.0.1:8080";
const agent = new Agent({ keepAliveTimeout: 30_000, pipelining: 1 });

class Relay implements Dispatcher.DispatchHandler {
  constructor(private readonly res: http.ServerResponse) {}
  onRequestStart(): void {}
  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    delete headers.connection;
    delete headers["keep-alive"];
    this.res.writeHead(status, headers as http.OutgoingHttpHeaders);
  }
  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.res.write(chunk);
  }
  onResponseEnd(): void {
    this.res.end();
  }
  onResponseError(): void {
    if (!this.res.headersSent) this.res.writeHead(502);
    this.res.end();
  }
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const headers: Record<string, string | string[]> = {};
  for (const name in req.headers) if (name !== "host" && name !== "connection") headers[name] = req.headers[name]!;
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  agent.dispatch(
    { origin: upstream, path: req.url ?? "/", method: req.method as Dispatcher.HttpMethod, headers, body: null },
    new Relay(res),
  );
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
process.on("SIGTERM", () => process.exit(0));
