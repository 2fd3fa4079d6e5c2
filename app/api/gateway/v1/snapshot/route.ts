import { withGatewayToken } from "@/lib/api/gateway-handler";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { waitForSnapshotChange } from "@/lib/services/snapshots/wait-for-change";

export const dynamic = "force-dynamic";

function etagValue(header: string | null): string | null {
  const m = header ? /^(?:W\/)?"([^"]*)"$/.exec(header.trim()) : null;
  return m ? m[1] : null;
}

/** The environment's snapshot: 304 while unchanged, long-polled with ?wait=<seconds> (≤ 30). */
export const GET = withGatewayToken(async ({ req, environment }) => {
  const known = etagValue(req.headers.get("if-none-match"));
  const wait = Number(new URL(req.url).searchParams.get("wait") ?? 0) || 0;
  let version = String(environment.snapshotVersion);
  if (known !== null && known === version && wait > 0) version = await waitForSnapshotChange(environment.id, known, wait, req.signal);
  if (known !== null && known === version) return new Response(null, { status: 304, headers: { etag: `"${version}"`, "cache-control": "no-store" } });
  const snapshot = await buildSnapshot(environment.id);
  return Response.json(snapshot, { headers: { etag: `"${snapshot.version}"`, "cache-control": "no-store" } });
});
