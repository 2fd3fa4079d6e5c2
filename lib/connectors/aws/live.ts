import { GetExportCommand, GetRestApiCommand, GetStageCommand, GetUsagePlanCommand } from "@aws-sdk/client-api-gateway";
import { ConnectorError, type ConnectorConfig, type DeploymentRef, type LiveState, type PlanArtifact } from "../types";
import { withAwsSession } from "./session";

/**
 * What serves on a deployment's stage, as artifacts a drift check compares: the stage's export
 * with its integrations (methods, integrations, authorizers), the stage's settings, and the
 * usage plans of the deployment's tiers. Ids that change on every Meridian deploy (deployment
 * ids) are left out, so that only a change made there shows.
 */
export async function readLiveAws(raw: ConnectorConfig, ref: DeploymentRef, signal?: AbortSignal): Promise<LiveState> {
  return withAwsSession(raw, signal, async (session) => {
    const restApiId = ref.ids.restApiId;
    const stageName = ref.stage ?? session.config.stageName;
    const api = await session.sendOrMissing(new GetRestApiCommand({ restApiId }));
    if (!api) return { exists: false, artifacts: [], reason: `REST API ${restApiId} no longer exists.` };
    const stage = await session.sendOrMissing(new GetStageCommand({ restApiId, stageName }));
    if (!stage) return { exists: false, artifacts: [], reason: `Stage ${stageName} of REST API ${restApiId} no longer exists.` };
    const exported = await session.sendOrMissing(
      new GetExportCommand({
        restApiId,
        stageName,
        exportType: "oas30",
        accepts: "application/json",
        parameters: { extensions: "integrations" },
      }),
    );
    if (!exported) return { exists: false, artifacts: [], reason: `Stage ${stageName} of REST API ${restApiId} no longer exists.` };
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(new TextDecoder().decode(exported.body ?? new Uint8Array())) as Record<string, unknown>;
    } catch {
      throw new ConnectorError("unavailable", `API Gateway returned an export of ${restApiId} that is not JSON.`);
    }
    const artifacts: PlanArtifact[] = [
      { kind: "openapi", name: stageName, format: "json", content: document },
      {
        kind: "stage",
        name: stageName,
        format: "json",
        content: {
          description: stage.description ?? null,
          methodSettings: Object.fromEntries(
            Object.entries(stage.methodSettings ?? {}).map(([k, v]) => [
              k,
              { rateLimit: v.throttlingRateLimit ?? null, burstLimit: v.throttlingBurstLimit ?? null },
            ]),
          ),
          variables: stage.variables ?? {},
        },
      },
    ];
    for (const [key, usagePlanId] of Object.entries(ref.ids)) {
      if (!key.startsWith("usagePlan:")) continue;
      const plan = await session.sendOrMissing(new GetUsagePlanCommand({ usagePlanId }));
      artifacts.push({
        kind: "usage-plan",
        name: key.slice("usagePlan:".length),
        format: "json",
        content: plan
          ? {
              name: plan.name ?? null,
              throttle: plan.throttle ?? null,
              quota: plan.quota ? { limit: plan.quota.limit, period: plan.quota.period } : null,
              servesThisStage: (plan.apiStages ?? []).some((s) => s.apiId === restApiId && s.stage === stageName),
            }
          : { deleted: true },
      });
    }
    return { exists: true, artifacts };
  });
}
