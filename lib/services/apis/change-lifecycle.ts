import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiLifecycleEvents, apis, deployments, environments } from "@/lib/db/schema";
import { allowedActions, LIFECYCLE_ACTION_LABELS, nextState, transitionPrecondition } from "@/lib/domain/lifecycle";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { isPullType } from "@/lib/services/deployments/deployment-input";
import { undeployIn } from "@/lib/services/deployments/undeploy-api";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { apiMetaColumns, loadApiForActor, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { lifecycleActionSchema } from "./schemas";
import { countDeployedRevisions } from "./usage";

/** Moves an API through its lifecycle; the table in lib/domain/lifecycle decides what is allowed. */
export async function changeLifecycle(id: string, input: z.input<typeof lifecycleActionSchema>, ctx: ServiceContext): Promise<ApiDetail> {
  const { action } = parseInput(lifecycleActionSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { actor, api } = await loadApiForActor(tx, id, ctx, { write: true, lock: true });
    const from = api.lifecycleState;
    const to = nextState(from, action);
    const allowed = allowedActions(from);
    if (!to) {
      const options = allowed.length ? `Allowed: ${allowed.join(", ")}.` : "No action is allowed: this state is final.";
      throw new AppError("invalid_transition", `Cannot ${action} an API that is ${from}. ${options}`, {
        extra: { currentState: from, allowedActions: allowed },
      });
    }
    const refusal = transitionPrecondition(action, { deployedRevisions: await countDeployedRevisions(tx, id) });
    if (refusal)
      throw new AppError("invalid_transition", `${LIFECYCLE_ACTION_LABELS[action]}: ${refusal}`, {
        extra: { currentState: from, allowedActions: allowed },
      });
    const [row] = await tx.update(apis).set({ lifecycleState: to }).where(eq(apis.id, id)).returning(apiMetaColumns);
    // Gateways learn the new state from their next snapshot (blocked APIs answer 503 there);
    // retiring undeploys everywhere.
    const live = await tx
      .select({ env: environments })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .where(and(eq(deployments.apiId, id), ne(deployments.status, "undeployed")));
    if (to === "RETIRED") for (const { env } of live) await undeployIn(tx, id, env, ctx);
    else
      await bumpSnapshotVersions(
        tx,
        live.filter(({ env }) => isPullType(env.type)).map(({ env }) => env.id),
      );
    await tx
      .insert(apiLifecycleEvents)
      .values({ id: newId("lce"), apiId: id, action, fromState: from, toState: to, actorId: actor.id, actorEmail: actor.email });
    await writeAudit(tx, ctx, { action: "api.lifecycle", objectType: "api", objectId: id, details: { action, from, to } });
    return toApiDetail(row, await ownersOf(tx, row.owners));
  });
}
