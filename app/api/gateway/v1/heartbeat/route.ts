import { withGatewayToken } from "@/lib/api/gateway-handler";
import { readJson } from "@/lib/api/handler";
import { heartbeatSchema } from "@/lib/domain/gateway/snapshot";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";

export const dynamic = "force-dynamic";

export const POST = withGatewayToken(async ({ req, environment, tokenId }) => {
  const beat = await readJson(req, heartbeatSchema);
  const applied = beat.appliedVersion && /^\d+$/.test(beat.appliedVersion) ? Number(beat.appliedVersion) : 0;
  const result = await recordHeartbeat(
    environment.id,
    {
      instanceId: beat.instanceId,
      region: beat.region ?? "",
      appliedVersion: applied,
      appliedAt: beat.appliedAt ?? null,
      lastError: beat.lastError ?? null,
    },
    tokenId,
  );
  return Response.json({ snapshotVersion: String(result.snapshotVersion) });
});
