import {
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentsCommand,
  GetStagesCommand,
  GetUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { ConnectorError, type ConnectorConfig, type DeploymentRef, type UndeployOptions } from "../types";
import { listAll } from "./paginate";
import { withAwsSession } from "./session";
import { deleteUsagePlan } from "./usage-plans";

/**
 * Removes what a deployment made: its usage plans (API keys stay: they belong to
 * subscriptions), the stage, the deployments no other stage serves, and with `deleteApi` the
 * REST API. Anything already gone counts as removed.
 */
export async function undeployAws(raw: ConnectorConfig, ref: DeploymentRef, options: UndeployOptions, pageSize: number): Promise<void> {
  await withAwsSession(raw, options.signal, async (session) => {
    const restApiId = ref.ids.restApiId;
    const stageName = ref.stage ?? session.config.stageName;
    const step = async (name: string, detail?: string) => {
      await options.onStep?.(name, detail);
    };
    const apiStage = `${restApiId}:${stageName}`;

    for (const [key, usagePlanId] of Object.entries(ref.ids)) {
      if (!key.startsWith("usagePlan:")) continue;
      const plan = await session.sendOrMissing(new GetUsagePlanCommand({ usagePlanId }));
      if (!plan) continue;
      const stages = (plan.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`);
      // A plan that also serves other APIs is not this deployment's to delete.
      if (stages.some((s) => s !== apiStage)) continue;
      await deleteUsagePlan(session, usagePlanId, stages);
      await step("Removed a usage plan", `${plan.name ?? usagePlanId} (${usagePlanId})`);
    }

    if (await session.sendOrMissing(new DeleteStageCommand({ restApiId, stageName })))
      await step("Removed the stage", `${stageName} of ${restApiId}`);

    if (options.deleteApi) {
      await session.sendOrMissing(new DeleteRestApiCommand({ restApiId }));
      await step("Removed the REST API", restApiId);
      return;
    }
    const stages = await session.sendOrMissing(new GetStagesCommand({ restApiId }));
    if (!stages) return;
    const served = new Set((stages.item ?? []).map((s) => s.deploymentId));
    const deployments = await listAll((position) => session.send(new GetDeploymentsCommand({ restApiId, limit: pageSize, position })));
    let removed = 0;
    for (const d of deployments) {
      if (!d.id || served.has(d.id)) continue;
      try {
        await session.sendOrMissing(new DeleteDeploymentCommand({ restApiId, deploymentId: d.id }));
        removed++;
      } catch (error) {
        // A stage made meanwhile points at it: it is not ours to remove.
        if (!(error instanceof ConnectorError && error.code === "invalid")) throw error;
      }
    }
    if (removed) await step("Removed the deployments", `${removed} of ${restApiId}`);
  });
}
