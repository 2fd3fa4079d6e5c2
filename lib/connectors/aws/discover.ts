import {
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  type RestApi,
} from "@aws-sdk/client-api-gateway";
import type { ConnectorConfig, DeploymentRef, DiscoveredApi, ObservedState } from "../types";
import { contentHash } from "./content-hash";
import { exportStage } from "./export";
import { listAll } from "./paginate";
import { withAwsSession, type AwsSession } from "./session";

/** REST APIs are described one at a time: a few at once keeps a large account quick without tripping API Gateway's throttle. */
const CONCURRENCY = 4;

async function integrationUris(session: AwsSession, restApiId: string, pageSize: number): Promise<string[]> {
  const resources = await listAll((position) =>
    session.send(new GetResourcesCommand({ restApiId, embed: ["methods"], limit: pageSize, position })),
  );
  const uris = new Set<string>();
  for (const resource of resources)
    for (const method of Object.values(resource.resourceMethods ?? {}))
      if (method.methodIntegration?.uri) uris.add(method.methodIntegration.uri);
  return [...uris].sort();
}

async function describe(session: AwsSession, api: RestApi, pageSize: number): Promise<DiscoveredApi | undefined> {
  const restApiId = api.id!;
  const stages = await session.sendOrMissing(new GetStagesCommand({ restApiId }));
  // Deleted between the listing and now.
  if (!stages) return undefined;
  const names = (stages.item ?? []).map((s) => s.stageName!).sort();
  const stage = names.includes(session.config.stageName) ? session.config.stageName : names[0];
  const exported = stage ? await exportStage(session, restApiId, stage) : undefined;
  const upstreams = await integrationUris(session, restApiId, pageSize);
  const info = (exported?.definition.info ?? {}) as { title?: unknown; version?: unknown };
  const version = typeof info.version === "string" ? info.version : api.version;
  return {
    externalId: restApiId,
    name: typeof info.title === "string" ? info.title : (api.name ?? restApiId),
    ...(version ? { version } : {}),
    ...(stage ? { context: `/${stage}` } : {}),
    ...(exported ? { definition: exported.definition } : {}),
    upstreams,
    // Without a stage nothing serves: the API's own description and integrations stand for it.
    contentHash: exported?.contentHash ?? contentHash({ name: api.name, version: api.version, description: api.description, upstreams }),
  };
}

/** Every REST API of the account and Region, each with its export, integrations and a content hash. */
export async function discoverAws(raw: ConnectorConfig, signal: AbortSignal | undefined, pageSize: number): Promise<DiscoveredApi[]> {
  return withAwsSession(raw, signal, async (session) => {
    const apis = await listAll((position) => session.send(new GetRestApisCommand({ limit: pageSize, position })));
    const out: Array<DiscoveredApi | undefined> = new Array(apis.length);
    let next = 0;
    const worker = async () => {
      while (next < apis.length) {
        const i = next++;
        out[i] = await describe(session, apis[i], pageSize);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, apis.length) }, worker));
    return out.filter((a): a is DiscoveredApi => !!a);
  });
}

/** What serves on the deployment's stage: its deployment and the hash of its export. */
export async function observeAws(raw: ConnectorConfig, ref: DeploymentRef): Promise<ObservedState> {
  return withAwsSession(raw, undefined, async (session) => {
    const restApiId = ref.ids.restApiId;
    const stageName = ref.stage ?? session.config.stageName;
    const api = await session.sendOrMissing(new GetRestApiCommand({ restApiId }));
    if (!api) return { exists: false, details: { reason: `REST API ${restApiId} does not exist.` } };
    const stage = await session.sendOrMissing(new GetStageCommand({ restApiId, stageName }));
    if (!stage) return { exists: false, details: { reason: `Stage ${stageName} of ${restApiId} does not exist.` } };
    const exported = await exportStage(session, restApiId, stageName);
    return {
      exists: true,
      ...(exported ? { contentHash: exported.contentHash } : {}),
      details: {
        restApiId,
        stage: stageName,
        deploymentId: stage.deploymentId,
        stageDescription: stage.description,
        deployedByRef: stage.deploymentId === ref.ids.deploymentId,
      },
    };
  });
}
