/**
 * A web process reduced to the gateway snapshot route: the real route handler behind a plain
 * node:http server, as `next start` serves it, on the PostgreSQL of DATABASE_URL. Tests start
 * two of these to prove that waiting gateways on different processes all see one change.
 * Run with `tsx --conditions=react-server` (route modules import `server-only`).
 *
 * Prints `listening <port>` once it serves; SIGTERM closes it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { GET } from "@/app/api/gateway/v1/snapshot/route";
import { closeDb } from "@/lib/db/client";
import { snapshotWatcher } from "@/lib/services/snapshots/snapshot-watcher";

const server = http.createServer((req, res) => {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  GET(new Request(`http://127.0.0.1${req.url}`, { headers, signal: abort.signal })).then(
    async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
      else res.end();
    },
    (error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    },
  );
});

server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));

process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void snapshotWatcher
    .close()
    .then(() => closeDb())
    .finally(() => process.exit(0));
});
