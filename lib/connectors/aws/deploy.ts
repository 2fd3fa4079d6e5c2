import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetRestApisCommand,
  GetUsagePlansCommand,
  PutRestApiCommand,
  type RestApi,
} from "@aws-sdk/client-api-gateway";
import { ConnectorError, type DeploymentInput, type DeploymentRef } from "../types";
import { exportStage } from "./export";
import { invokeUrl } from "./invoke-url";
import { listAll } from "./paginate";
import { awsDeploymentSpec } from "./plan";
import { withAwsSession, type AwsSession } from "./session";
import { configureStage } from "./stage";
import { deleteUsagePlan, syncUsagePlans, TAG_REST_API } from "./usage-plans";

export const TAG_IDEMPOTENCY = "meridian:idempotency-key";
export const TAG_API = "meridian:api-id";
export const TAG_ENVIRONMENT = "meridian:environment";

/** The REST APIs that attempts of this same deployment created, found by their tag: oldest first, then by id. */
async function findByIdempotencyKey(session: AwsSession, key: string, pageSize: number): Promise<RestApi[]> {
  const apis = await listAll((position) => session.send(new GetRestApisCommand({ limit: pageSize, position })));
  const at = (api: RestApi) => api.createdDate?.getTime() ?? 0;
  return apis.filter((api) => api.id && api.tags?.[TAG_IDEMPOTENCY] === key).sort((a, b) => at(a) - at(b) || (a.id! < b.id! ? -1 : 1));
}

/**
 * The REST API of a first deployment: one an earlier attempt created (a worker that died
 * mid-deploy leaves it for the retry), else a new one. CreateRestApi writes the tags in the
 * same call that makes the API, so there is no moment at which an API of Meridian's exists
 * untagged: whatever call a dying worker made last, the retry finds what it left.
 */
async function restApiOfFirstDeploy(
  session: AwsSession,
  input: DeploymentInput,
  stageName: string,
  pageSize: number,
  step: (name: string, detail?: string) => Promise<void>,
): Promise<{ restApiId: string; adopted: boolean }> {
  const [kept, ...extra] = await findByIdempotencyKey(session, input.idempotencyKey, pageSize);
  // Two attempts that ran at once (a lease lost while its worker still ran) can each have made one.
  for (const api of extra) {
    await removeRestApi(session, api.id!, stageName, [], pageSize);
    await step("Removed a second REST API of this deployment", api.id);
  }
  if (kept) return { restApiId: kept.id!, adopted: true };
  const created = await session.send(
    new CreateRestApiCommand({
      name: input.api.name,
      ...(input.api.description ? { description: input.api.description } : {}),
      endpointConfiguration: { types: ["REGIONAL"] },
      apiKeySource: "HEADER",
      tags: { [TAG_IDEMPOTENCY]: input.idempotencyKey, [TAG_API]: input.api.id, [TAG_ENVIRONMENT]: input.environment.name },
    }),
  );
  return { restApiId: created.id!, adopted: false };
}

/**
 * Imports (first time) or overwrites (afterwards) the REST API, deploys it to the stage, then
 * brings the stage and the usage plans in line. The stage moves only once the new deployment
 * exists, so a failed redeploy leaves the previous revision serving; a failed first deploy
 * deletes what it created.
 */
export async function deployAws(input: DeploymentInput, previousRef: DeploymentRef | undefined, pageSize: number): Promise<DeploymentRef> {
  return withAwsSession(input.config, input.signal, async (session) => {
    const { config } = session;
    const spec = awsDeploymentSpec(input, config);
    if (spec.plan.refusals.length) {
      throw new ConnectorError(
        "unsupported",
        `API Gateway cannot enforce: ${spec.plan.refusals.map((r) => `${r.feature}: ${r.reason}`).join(" ")}`,
        false,
      );
    }
    const step = async (name: string, detail?: string) => {
      await input.onStep?.(name, detail);
    };
    const body = new TextEncoder().encode(JSON.stringify(spec.document));
    const stageName = spec.stage.name;
    let restApiId = previousRef?.ids.restApiId;
    // Whether this attempt (or an earlier attempt of this deployment) made the REST API: then a failure removes it.
    let owned = false;
    const createdPlans: string[] = [];

    try {
      if (restApiId) {
        const put = await session.sendOrMissing(new PutRestApiCommand({ restApiId, mode: "overwrite", body, failOnWarnings: false }));
        if (put) await step("Updated the REST API", `${restApiId} now describes revision ${input.revision.number}`);
        // Deleted outside Meridian: deploy it again from scratch.
        else restApiId = undefined;
      }
      if (!restApiId) {
        owned = true;
        const first = await restApiOfFirstDeploy(session, input, stageName, pageSize, step);
        restApiId = first.restApiId;
        // The definition goes into the tagged API: an import into an existing API.
        await session.send(new PutRestApiCommand({ restApiId, mode: "overwrite", body, failOnWarnings: false }));
        if (first.adopted) await step("Updated the REST API", `${restApiId}, created by an earlier attempt of this deployment`);
        else await step("Imported the REST API", `${restApiId} (${input.api.name} ${input.api.version})`);
      }

      const deployment = await session.send(
        new CreateDeploymentCommand({
          restApiId,
          stageName,
          stageDescription: spec.stage.description,
          description: `Meridian revision ${input.revision.number} (${input.revision.id})`,
        }),
      );
      await step("Created a deployment", `${deployment.id} now serves stage ${stageName}`);

      const patched = await configureStage(session, restApiId, spec.stage);
      if (patched)
        await step(
          "Configured the stage",
          `${spec.stage.description}${Object.keys(spec.stage.methodSettings).length ? `, ${Object.keys(spec.stage.methodSettings).length} method throttle(s)` : ""}`,
        );

      const plans = await syncUsagePlans(
        session,
        { restApiId, stage: stageName, previousIds: previousRef?.ids ?? {}, pageSize },
        spec.usagePlans,
        (name, detail) => step(name, detail),
      );
      createdPlans.push(...plans.created);

      const exported = await exportStage(session, restApiId, stageName);
      if (!exported)
        throw new ConnectorError("unavailable", `Stage ${stageName} of ${restApiId} could not be exported right after deploying.`);
      return {
        type: "aws",
        version: 1,
        ids: { restApiId, deploymentId: deployment.id!, ...plans.ids },
        stage: stageName,
        invokeUrl: invokeUrl(config, restApiId, stageName),
        contentHash: exported.contentHash,
        revisionNumber: input.revision.number,
      };
    } catch (error) {
      if (owned && restApiId) await removeFailedFirstDeploy(session, restApiId, stageName, createdPlans, pageSize, step);
      throw error;
    }
  });
}

/** A REST API of Meridian's with its usage plans: those named, and those tagged with it. */
async function removeRestApi(session: AwsSession, restApiId: string, stageName: string, plans: string[], pageSize: number): Promise<void> {
  const tagged = await listAll((position) => session.send(new GetUsagePlansCommand({ limit: pageSize, position })));
  const ids = new Set([...plans, ...tagged.filter((p) => p.id && p.tags?.[TAG_REST_API] === restApiId).map((p) => p.id!)]);
  for (const id of ids) await deleteUsagePlan(session, id, [`${restApiId}:${stageName}`]);
  await session.sendOrMissing(new DeleteRestApiCommand({ restApiId }));
}

/**
 * Best effort: the original failure is what the caller must see, not a cleanup's. The usage
 * plans an earlier attempt made before its worker died go too: they carry the API's tag.
 */
async function removeFailedFirstDeploy(
  session: AwsSession,
  restApiId: string,
  stageName: string,
  plans: string[],
  pageSize: number,
  step: (name: string, detail?: string) => Promise<void>,
) {
  try {
    await removeRestApi(session, restApiId, stageName, plans, pageSize);
    await step("Removed the REST API of the failed attempt", restApiId);
  } catch (cleanupError) {
    await step(
      "Could not remove the REST API of the failed attempt",
      `${restApiId}: ${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)}`,
    ).catch(() => undefined);
  }
}
