import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { Agent, request } from "undici";
import type { Heartbeat } from "@/lib/domain/gateway/snapshot";

const gunzipAsync = promisify(gunzip);

/**
 * The body as sent, gunzipped when it is gzip. Told by its magic bytes rather than by
 * Content-Encoding, which a proxy on the way may drop or add; JSON never starts with them.
 */
async function decoded(body: Buffer): Promise<Buffer> {
  return body.length > 2 && body[0] === 0x1f && body[1] === 0x8b ? gunzipAsync(body) : body;
}

/** The three calls of the gateway sync protocol, authenticated by the gateway token. */

export type SnapshotResponse = { status: 304 } | { status: 200; etag: string | null; body: string } | { status: number; body: string };

export class ControlPlaneClient {
  private readonly agent = new Agent({ connectTimeout: 5_000, keepAliveTimeout: 60_000 });

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  /**
   * Long poll: the control plane holds the request up to `waitSeconds` while nothing changes.
   * With `delta`, it may answer with only what changed since `etag` (`"delta": true`). The
   * body comes gzipped (`application/gzip`, or JSON with a gzip Content-Encoding).
   */
  async getSnapshot(etag: string | null, waitSeconds: number, signal: AbortSignal, delta = false): Promise<SnapshotResponse> {
    const res = await request(`${this.baseUrl}/api/gateway/v1/snapshot?wait=${waitSeconds}${delta && etag ? "&delta=1" : ""}`, {
      dispatcher: this.agent,
      headers: this.headers({
        accept: "application/gzip, application/json;q=0.5",
        "accept-encoding": "gzip",
        ...(etag ? { "if-none-match": `"${etag}"` } : {}),
      }),
      headersTimeout: (waitSeconds + 15) * 1000,
      bodyTimeout: 60_000,
      signal,
    });
    const body = (await decoded(Buffer.from(await res.body.arrayBuffer()))).toString("utf8");
    if (res.statusCode === 304) return { status: 304 };
    if (res.statusCode !== 200) return { status: res.statusCode, body: body.slice(0, 500) };
    const header = res.headers.etag;
    const raw = Array.isArray(header) ? header[0] : header;
    return { status: 200, etag: raw ? raw.replace(/^W\//, "").replace(/^"|"$/g, "") : null, body };
  }

  async postHeartbeat(heartbeat: Heartbeat): Promise<number> {
    const res = await request(`${this.baseUrl}/api/gateway/v1/heartbeat`, {
      method: "POST",
      dispatcher: this.agent,
      headers: this.headers({ "content-type": "application/json" }),
      body: JSON.stringify(heartbeat),
      headersTimeout: 10_000,
    });
    await res.body.dump();
    return res.statusCode;
  }

  /** Sends a serialized batch as it lies on disk. */
  async postEvents(batch: Buffer): Promise<number> {
    const res = await request(`${this.baseUrl}/api/gateway/v1/events`, {
      method: "POST",
      dispatcher: this.agent,
      headers: this.headers({ "content-type": "application/json" }),
      body: batch,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    await res.body.dump();
    return res.statusCode;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
