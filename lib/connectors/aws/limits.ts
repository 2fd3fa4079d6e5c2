import type { RateLimit } from "@/lib/domain/openapi/operations";
import { isObject, type JsonObject } from "@/lib/domain/openapi/types";
import type { DeploymentInput, DeploymentTier, PlanRefusal } from "../types";

/**
 * Meridian's limits as API Gateway throttles. Both are token buckets (capacity = burst, refill
 * = rate), so a rate per minute, hour or day converts exactly to a rate per second; what
 * cannot be converted is a bucket larger than the account's own. Pure: no I/O.
 */

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3_600, day: 86_400 } as const;
/** API Gateway's default account-level throttle per Region; no usage plan or stage can exceed it. */
export const ACCOUNT_RATE_LIMIT = 10_000;
export const ACCOUNT_BURST_LIMIT = 5_000;

export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

export interface UsagePlanSpec {
  tier: string;
  name: string;
  description: string;
  throttle?: Throttle;
  quota?: { limit: number; period: "MONTH"; offset: 0 };
}

export type LimitSpec = { requests: number; unit: RateLimit["unit"]; burst: number | null };

/** One limit as a throttle, or the reason it cannot be one. */
export function toThrottle(limit: LimitSpec, what: string): { throttle?: Throttle; refusal?: PlanRefusal } {
  const seconds = UNIT_SECONDS[limit.unit];
  // A rate with six decimals is at most 0.05 requests a day away from the exact one.
  const rateLimit = Math.round((limit.requests / seconds) * 1e6) / 1e6;
  // Without a burst the whole unit's allowance may arrive at once, as a fixed window allows.
  const burstLimit = limit.burst ?? limit.requests;
  const stated = `${limit.requests} per ${limit.unit}${limit.burst !== null ? `, burst ${limit.burst}` : ""}`;
  if (rateLimit <= 0 || burstLimit < 1 || !Number.isInteger(burstLimit)) {
    return {
      refusal: {
        feature: what,
        reason: `${stated} cannot be an API Gateway throttle: it needs a positive rate and a whole burst of at least 1.`,
      },
    };
  }
  if (rateLimit > ACCOUNT_RATE_LIMIT || burstLimit > ACCOUNT_BURST_LIMIT) {
    return {
      refusal: {
        feature: what,
        reason: `${stated} is ${rateLimit} requests per second with a burst of ${burstLimit}, beyond API Gateway's account throttle (${ACCOUNT_RATE_LIMIT} per second, burst ${ACCOUNT_BURST_LIMIT})${limit.burst === null ? ": give the limit a burst" : ""}.`,
      },
    };
  }
  return { throttle: { rateLimit, burstLimit } };
}

const limited = (t: DeploymentTier) => !t.unlimited && t.requests !== null && t.unit !== null;

/** One usage plan per tier: API keys must sit in a plan for the stage to accept them, even unlimited ones. */
export function usagePlansFor(
  input: DeploymentInput,
  usesApiKeys: boolean,
  usesAuthorizer: boolean,
): { plans: UsagePlanSpec[]; refusals: PlanRefusal[] } {
  const refusals: PlanRefusal[] = [];
  if (!usesApiKeys) {
    const tiers = input.tiers.filter(limited);
    // Usage plans identify callers by API key: OAuth2 callers carry none, so tiers would not apply.
    if (usesAuthorizer && tiers.length) {
      refusals.push({
        feature: "Subscription tiers",
        reason: `API Gateway enforces tiers through usage plans, which identify callers by API key; OAuth2 callers carry none, so the limits of ${tiers.map((t) => t.displayName).join(", ")} would not apply.`,
      });
    }
    return { plans: [], refusals };
  }
  const plans: UsagePlanSpec[] = [];
  for (const tier of input.tiers) {
    const plan: UsagePlanSpec = {
      tier: tier.name,
      name: `${input.api.name} ${input.api.version} - ${tier.displayName}`,
      description: `Meridian tier ${tier.displayName} for ${input.api.name} ${input.api.version} (${input.api.id}).`,
    };
    if (limited(tier)) {
      const { throttle, refusal } = toThrottle(
        { requests: tier.requests!, unit: tier.unit!, burst: tier.burst },
        `Tier ${tier.displayName}`,
      );
      if (refusal) refusals.push(refusal);
      if (throttle) plan.throttle = throttle;
    }
    if (!tier.unlimited && tier.monthlyQuota) plan.quota = { limit: tier.monthlyQuota, period: "MONTH", offset: 0 };
    plans.push(plan);
  }
  return { plans, refusals };
}

/** A stage's method-settings key: the resource path without its leading "/", then the method ("orders/{orderId}/GET"). */
export function methodSettingsKey(method: string, path: string): string {
  return `${path.replace(/^\//, "")}/${method.toUpperCase()}`;
}

/** The PATCH path of one method setting: inside the key's resource path "/" is escaped as "~1". */
export function methodSettingPatchPath(key: string, setting: string): string {
  const cut = key.lastIndexOf("/");
  const resource = key.slice(0, cut).replace(/~/g, "~0").replace(/\//g, "~1");
  return `/${resource}/${key.slice(cut + 1)}${setting ? `/${setting}` : ""}`;
}

/**
 * Operation limits become method throttles on the stage (all callers, one method: as in
 * Meridian). The API-wide limit cannot: API Gateway applies a stage's default throttle to each
 * method separately, where Meridian shares one bucket between all operations.
 */
export function methodThrottlesFor(input: DeploymentInput): { methodSettings: Record<string, Throttle>; refusals: PlanRefusal[] } {
  const { settings } = input.revision;
  const refusals: PlanRefusal[] = [];
  const methodSettings: Record<string, Throttle> = {};
  if (settings.rateLimit) {
    refusals.push({
      feature: "API rate limit",
      reason:
        "API Gateway throttles each method separately, while Meridian's API rate limit is one budget shared by all operations: set rate limits per operation for this environment.",
    });
  }
  for (const [key, policy] of Object.entries(settings.operationPolicies)) {
    const [method, ...rest] = key.split(" ");
    // A policy left behind by an operation the document no longer has configures nothing.
    if (!policy.rateLimit || !operationExists(input.revision.definition, method, rest.join(" "))) continue;
    const { throttle, refusal } = toThrottle(policy.rateLimit, `Rate limit of ${key}`);
    if (refusal) refusals.push(refusal);
    if (throttle) methodSettings[methodSettingsKey(method, rest.join(" "))] = throttle;
  }
  return { methodSettings, refusals };
}

function operationExists(definition: JsonObject, method: string, path: string): boolean {
  const item = isObject(definition.paths) ? definition.paths[path] : undefined;
  return isObject(item) && isObject(item[method.toLowerCase()]);
}
