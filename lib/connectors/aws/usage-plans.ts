import {
  CreateUsagePlanCommand,
  DeleteUsagePlanCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
  type PatchOperation,
  type UsagePlan,
} from "@aws-sdk/client-api-gateway";
import { ConnectorError } from "../types";
import type { UsagePlanSpec } from "./limits";
import { listAll } from "./paginate";
import type { AwsSession } from "./session";

export const TAG_REST_API = "meridian:rest-api-id";
export const TAG_TIER = "meridian:tier";
export const usagePlanIdKey = (tier: string) => `usagePlan:${tier}`;

export interface UsagePlanSync {
  /** Tier → usage plan id, for the deployment reference. */
  ids: Record<string, string>;
  /** Plans this sync created: what a failed first deploy removes again. */
  created: string[];
}

function patchesFor(plan: UsagePlan, spec: UsagePlanSpec, apiStage: string): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (plan.name !== spec.name) ops.push({ op: "replace", path: "/name", value: spec.name });
  if ((plan.description ?? "") !== spec.description) ops.push({ op: "replace", path: "/description", value: spec.description });
  if (spec.throttle) {
    if (plan.throttle?.rateLimit !== spec.throttle.rateLimit)
      ops.push({ op: "replace", path: "/throttle/rateLimit", value: String(spec.throttle.rateLimit) });
    if (plan.throttle?.burstLimit !== spec.throttle.burstLimit)
      ops.push({ op: "replace", path: "/throttle/burstLimit", value: String(spec.throttle.burstLimit) });
  } else if (plan.throttle) {
    ops.push({ op: "remove", path: "/throttle" });
  }
  if (spec.quota) {
    if (plan.quota?.limit !== spec.quota.limit) ops.push({ op: "replace", path: "/quota/limit", value: String(spec.quota.limit) });
    if (plan.quota?.period !== spec.quota.period) ops.push({ op: "replace", path: "/quota/period", value: spec.quota.period });
  } else if (plan.quota) {
    ops.push({ op: "remove", path: "/quota" });
  }
  if (!plan.apiStages?.some((s) => `${s.apiId}:${s.stage}` === apiStage)) ops.push({ op: "add", path: "/apiStages", value: apiStage });
  return ops;
}

/** Detaches the stage from a plan, then deletes the plan (API Gateway refuses to delete a plan with stages). */
export async function deleteUsagePlan(session: AwsSession, usagePlanId: string, apiStages: string[]): Promise<void> {
  for (const apiStage of apiStages) {
    try {
      await session.sendOrMissing(
        new UpdateUsagePlanCommand({ usagePlanId, patchOperations: [{ op: "remove", path: "/apiStages", value: apiStage }] }),
      );
    } catch (error) {
      // Already detached: nothing to remove.
      if (!(error instanceof ConnectorError && error.code === "invalid")) throw error;
    }
  }
  await session.sendOrMissing(new DeleteUsagePlanCommand({ usagePlanId }));
}

/**
 * One usage plan per tier on this REST API's stage. Plans are found by the previous reference or
 * by their tags, so a retry after a lost answer updates the plan it made instead of adding one.
 */
export async function syncUsagePlans(
  session: AwsSession,
  target: { restApiId: string; stage: string; previousIds: Record<string, string>; pageSize: number },
  specs: UsagePlanSpec[],
  onPlan: (step: string, detail: string) => Promise<void>,
): Promise<UsagePlanSync> {
  const apiStage = `${target.restApiId}:${target.stage}`;
  const all = await listAll((position) => session.send(new GetUsagePlansCommand({ limit: target.pageSize, position })));
  const ours = all.filter((p) => p.tags?.[TAG_REST_API] === target.restApiId || Object.values(target.previousIds).includes(p.id ?? ""));
  const sync: UsagePlanSync = { ids: {}, created: [] };

  for (const spec of specs) {
    const previousId = target.previousIds[usagePlanIdKey(spec.tier)];
    const existing =
      ours.find((p) => p.id === previousId) ??
      ours.find((p) => p.tags?.[TAG_TIER] === spec.tier && p.tags?.[TAG_REST_API] === target.restApiId);
    if (existing?.id) {
      const ops = patchesFor(existing, spec, apiStage);
      if (ops.length) {
        await session.send(new UpdateUsagePlanCommand({ usagePlanId: existing.id, patchOperations: ops }));
        await onPlan("Updated a usage plan", `${spec.name} (${existing.id})`);
      }
      sync.ids[usagePlanIdKey(spec.tier)] = existing.id;
      continue;
    }
    const created = await session.send(
      new CreateUsagePlanCommand({
        name: spec.name,
        description: spec.description,
        apiStages: [{ apiId: target.restApiId, stage: target.stage }],
        ...(spec.throttle ? { throttle: spec.throttle } : {}),
        ...(spec.quota ? { quota: spec.quota } : {}),
        tags: { [TAG_REST_API]: target.restApiId, [TAG_TIER]: spec.tier },
      }),
    );
    sync.ids[usagePlanIdKey(spec.tier)] = created.id!;
    sync.created.push(created.id!);
    await onPlan("Created a usage plan", `${spec.name} (${created.id})`);
  }

  // Tiers the API no longer allows: their plans (and the keys in them) stop applying to it.
  const kept = new Set(Object.values(sync.ids));
  for (const plan of ours) {
    if (!plan.id || kept.has(plan.id)) continue;
    await deleteUsagePlan(
      session,
      plan.id,
      (plan.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`).filter((s) => s === apiStage),
    );
    await onPlan("Removed a usage plan", `${plan.name ?? plan.id} (${plan.id})`);
  }
  return sync;
}
