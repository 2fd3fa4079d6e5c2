import { getConnector } from "@/lib/connectors/registry";
import type { PlanArtifact, PlanNote, PlanRefusal } from "@/lib/connectors/types";
import { getDb, type DbOrTx } from "@/lib/db/client";
import type { ApiRevisionRow, Environment } from "@/lib/db/schema";
import { extractOperations } from "@/lib/domain/openapi/operations";
import type { ApiMetaRow } from "@/lib/services/apis/access";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { deployInputSchema, deployRefusal, loadDeployTargets } from "./deploy-revision";
import { buildDeploymentInput, endpointFor, isPullType } from "./deployment-input";

export interface EnvironmentPlan {
  environment: string;
  environmentName: string;
  type: string;
  artifacts: PlanArtifact[];
  refusals: PlanRefusal[];
  /** What the environment does differently from Meridian but accepts: said before deploying. */
  notes: PlanNote[];
}

/** What one environment would receive; no side effect. Pull gateways receive a snapshot entry. */
export async function planFor(db: DbOrTx, api: ApiMetaRow, env: Environment, revision: ApiRevisionRow): Promise<EnvironmentPlan> {
  const base = { environment: env.displayName, environmentName: env.name, type: env.type };
  const refusal = deployRefusal(api, env, revision);
  if (refusal) return { ...base, artifacts: [], refusals: [{ feature: "deployment", reason: refusal }], notes: [] };
  if (isPullType(env.type)) {
    const s = revision.settings;
    // An agent's gateway may not enforce everything Meridian's does: its connector says what it refuses.
    const agentPlan =
      env.type === "agent" ? await getConnector(env.type).plan(await buildDeploymentInput(db, env, revision, `plan:${revision.id}`)) : null;
    if (agentPlan?.refusals.length) return { ...base, artifacts: [], refusals: agentPlan.refusals, notes: agentPlan.notes ?? [] };
    // A gateway Meridian feeds serves an API without operations: it answers 404 to every request.
    const notes: PlanNote[] = extractOperations(revision.definition).length
      ? []
      : [
          {
            feature: "Operations",
            note: `This revision has no operations: the gateway serves ${s.context}/${s.version} but answers 404 to every request to it.`,
          },
        ];
    if (agentPlan?.notes) notes.push(...agentPlan.notes);
    return {
      ...base,
      refusals: [],
      notes,
      artifacts: [
        {
          kind: "snapshot-api",
          name: `${s.context}/${s.version}`,
          format: "json",
          content: {
            context: s.context,
            version: s.version,
            upstream: endpointFor(revision, env.name),
            security: s.security.scheme,
            cors: s.cors.enabled,
            rateLimit: s.rateLimit,
            allowedTiers: s.allowedTiers,
            operationPolicies: s.operationPolicies,
          },
        },
      ],
    };
  }
  const input = await buildDeploymentInput(db, env, revision, `plan:${revision.id}`);
  const plan = await getConnector(env.type).plan(input);
  return { ...base, artifacts: plan.artifacts, refusals: plan.refusals, notes: plan.notes ?? [] };
}

/** The native artifacts each environment's connector would write for a revision, and what it refuses. */
export async function planDeployment(apiId: string, input: unknown, ctx: ServiceContext): Promise<EnvironmentPlan[]> {
  const values = parseInput(deployInputSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api, revision, envs } = await loadDeployTargets(tx, apiId, values, ctx);
    const out: EnvironmentPlan[] = [];
    for (const env of envs) out.push(await planFor(tx, api, env, revision));
    return out;
  });
}
