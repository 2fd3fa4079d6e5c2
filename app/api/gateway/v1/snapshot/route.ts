import { withGatewayToken } from "@/lib/api/gateway-handler";
import { snapshotCache } from "@/lib/services/snapshots/snapshot-cache";
import { snapshotWatcher } from "@/lib/services/snapshots/snapshot-watcher";
import { waitForSnapshotChange } from "@/lib/services/snapshots/wait-for-change";

export const dynamic = "force-dynamic";

function etagValue(header: string | null): string | null {
  const m = header ? /^(?:W\/)?"([^"]*)"$/.exec(header.trim()) : null;
  return m ? m[1] : null;
}

/**
 * The environment's snapshot: 304 while unchanged, long-polled with ?wait=<seconds> (≤ 30).
 * With ?delta=1 and the version it holds in If-None-Match, a gateway gets only what changed
 * since (`"delta": true`), or the whole snapshot when that version is no longer held here.
 * Built, serialized and compressed once per version for all gateways (snapshot-cache.ts). The
 * compressed form is sent as `application/gzip` to a gateway that accepts it: Next.js drops a
 * route's own Content-Encoding (and would then compress the body again), so the gzip travels as
 * the representation itself, marked no-transform.
 */
export const GET = withGatewayToken(async ({ req, environment }) => {
  const known = etagValue(req.headers.get("if-none-match"));
  const params = new URL(req.url).searchParams;
  const wait = Number(params.get("wait") ?? 0) || 0;
  // The environment came from the token check, which may be a few seconds old. A long poll takes
  // the newest version this process has seen (its watcher reads the database when waiting starts
  // and hears every change while it waits); a plain poll, or a gateway ahead of both, reads it.
  const seen = snapshotWatcher.latest(environment.id);
  let version = String(Math.max(environment.snapshotVersion, seen ?? 0));
  if (wait <= 0 || (known !== null && Number(known) > Number(version)))
    version = await waitForSnapshotChange(environment.id, known ?? version, 0, req.signal);
  if (known !== null && known === version && wait > 0)
    version = await waitForSnapshotChange(environment.id, known, wait, req.signal, version);
  if (known !== null && known === version)
    return new Response(null, { status: 304, headers: { etag: `"${version}"`, "cache-control": "no-store" } });
  const built = await snapshotCache.current(environment.id, version);
  const body = (known !== null && params.get("delta") === "1" ? snapshotCache.delta(environment.id, known, built) : null) ?? built.full;
  const gzip = /\bapplication\/gzip\b/i.test(req.headers.get("accept") ?? "");
  const headers = {
    etag: `"${built.version}"`,
    "content-type": gzip ? "application/gzip" : "application/json",
    "cache-control": "no-store, no-transform",
    vary: "accept",
  };
  return new Response(gzip ? new Uint8Array(body.gzip()) : body.json, { headers });
});
