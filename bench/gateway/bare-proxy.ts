/**
 * The gateway's HTTP/1.1 layer alone (`gateway/http1`: its server, its upstream client and the
 * header rules of `gateway/proxy/headers.ts`) relaying to the backend, with nothing else (no
 * routing, credentials, limits, metrics or events): the floor of the gateway. What the gateway
 * adds is the gap between this row and the gateway's.
 */
import { parseOrigin, UpstreamClient, type Exchange, type ResponseHandler } from "@/gateway/http1/client";
import type { RawHeaders } from "@/gateway/http1/parser";
import { Http1Server, type Http1Request, type Http1Response } from "@/gateway/http1/server";
import { clientResponseHeaders, upstreamRequestHead } from "@/gateway/proxy/headers";

const origin = parseOrigin(process.env.UPSTREAM ?? "http://127.0.0.1:8080");
const client = new UpstreamClient({ connectTimeoutMs: 5_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 60_000, keepAliveTimeoutMs: 30_000 });

class Relay implements ResponseHandler {
  exchange: Exchange | null = null;
  constructor(private readonly res: Http1Response) {}
  onHead(status: number, headers: RawHeaders): void {
    this.res.writeHead(status, undefined, clientResponseHeaders(headers));
  }
  onData(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }
  onEnd(): void {
    this.res.end();
  }
  onError(): void {
    if (!this.res.headersSent) this.res.writeHead(502).end();
    else this.res.destroy();
  }
}

function relay(req: Http1Request, res: Http1Response): void {
  const { head, hasLength } = upstreamRequestHead(req, req.url, origin.hostHeader, { stripBearer: false, stripApiKey: false });
  const handler = new Relay(res);
  handler.exchange = client.request(
    { origin, method: req.method, head, body: req.hasBody ? req : null, bodyHasLength: hasLength },
    handler,
  );
}

const server = new Http1Server(relay);
void server
  .listen(Number(process.env.PORT ?? 0), "127.0.0.1")
  .then(() => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on("SIGTERM", () => process.exit(0));
