import { z } from "zod";

/** subscription: chosen per subscription; application: per application; api: per API. */
export const POLICY_KINDS = ["subscription", "application", "api"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const RATE_UNITS = ["second", "minute", "hour", "day"] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

export const MAX_REQUESTS = 1_000_000_000;
export const MAX_MONTHLY_QUOTA = 2_000_000_000;

export const policyKindSchema = z.enum(POLICY_KINDS, { error: `Choose a kind: ${POLICY_KINDS.join(", ")}.` });

/** Names are identifiers other objects refer to (an API's allowed tiers): immutable. */
export const tierNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    "Use 1 to 64 letters, digits, hyphens and underscores, starting with a letter (for example Gold).",
  );

const count = (what: string, max: number) =>
  z.coerce
    .number({ error: `Enter the ${what} as a number.` })
    .int(`The ${what} is a whole number.`)
    .min(1, `The ${what} is at least 1.`)
    .max(max, `The ${what} is at most ${max.toLocaleString("en")}.`);

const limits = {
  displayName: z.string().trim().max(100, "Use at most 100 characters."),
  description: z.string().trim().max(1000, "Use at most 1000 characters."),
  unlimited: z.boolean(),
  requests: count("number of requests", MAX_REQUESTS).nullable(),
  unit: z.enum(RATE_UNITS, { error: `Choose a unit: ${RATE_UNITS.join(", ")}.` }).nullable(),
  burst: count("burst", MAX_REQUESTS).nullable(),
  monthlyQuota: count("monthly quota", MAX_MONTHLY_QUOTA).nullable(),
};

export interface TierLimits {
  unlimited: boolean;
  requests: number | null;
  unit: RateUnit | null;
  burst: number | null;
  monthlyQuota: number | null;
}

/** The rules between fields, on the tier as it would be saved. */
export function tierLimitErrors(t: TierLimits): Record<string, string> {
  const errors: Record<string, string> = {};
  if (t.unlimited) {
    if (t.requests !== null) errors.requests = "An unlimited tier has no request limit.";
    if (t.unit !== null) errors.unit = "An unlimited tier has no unit.";
    if (t.burst !== null) errors.burst = "An unlimited tier has no burst limit.";
    if (t.monthlyQuota !== null) errors.monthlyQuota = "An unlimited tier has no quota.";
    return errors;
  }
  if (t.requests === null) errors.requests = "Enter how many requests are allowed per unit, or make the tier unlimited.";
  if (t.unit === null) errors.unit = "Choose the unit of time: second, minute, hour or day.";
  return errors;
}

export const createTierSchema = z
  .object({
    kind: policyKindSchema.default("subscription"),
    name: tierNameSchema,
    displayName: limits.displayName.optional(),
    description: limits.description.default(""),
    unlimited: limits.unlimited.default(false),
    requests: limits.requests.optional(),
    unit: limits.unit.optional(),
    burst: limits.burst.optional(),
    monthlyQuota: limits.monthlyQuota.optional(),
  })
  .strict();
export type CreateTierInput = z.input<typeof createTierSchema>;

export const updateTierSchema = z
  .object({
    // Accepted only unchanged, so that a client may send back what it read.
    kind: z.string().optional(),
    name: z.string().optional(),
    displayName: limits.displayName.optional(),
    description: limits.description.optional(),
    unlimited: limits.unlimited.optional(),
    requests: limits.requests.optional(),
    unit: limits.unit.optional(),
    burst: limits.burst.optional(),
    monthlyQuota: limits.monthlyQuota.optional(),
  })
  .strict();
export type UpdateTierInput = z.input<typeof updateTierSchema>;

export const tierKindQuerySchema = z.object({ kind: policyKindSchema.default("subscription") });
