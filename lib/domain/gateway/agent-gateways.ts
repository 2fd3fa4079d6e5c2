/**
 * The gateways that Meridian's own agents run (agent/), and what each cannot enforce. Shared by
 * the control plane, which refuses such a revision at plan time for an agent environment, and
 * by the agent, which refuses such a snapshot before touching its gateway.
 */

export const AGENT_GATEWAYS = ["custom", "haproxy"] as const;
export type AgentGateway = (typeof AGENT_GATEWAYS)[number];

export interface AgentRefusal {
  feature: string;
  reason: string;
}

/** What HAProxy cannot enforce: calendar-month quotas, and rate limits per operation. */
export function haproxyRefusalsFor(input: {
  tiers: Array<{ name: string; unlimited: boolean; monthlyQuota?: number | null }>;
  operations: Array<{ label: string; rateLimit?: unknown }>;
}): AgentRefusal[] {
  const out: AgentRefusal[] = [];
  for (const tier of input.tiers) {
    if (!tier.unlimited && tier.monthlyQuota)
      out.push({
        feature: `Tier ${tier.name}`,
        reason: `Tier ${tier.name} has a monthly quota: HAProxy's stick tables count sliding windows, not calendar months.`,
      });
  }
  for (const op of input.operations) {
    if (op.rateLimit)
      out.push({
        feature: `Operation ${op.label}`,
        reason: `${op.label} has an operation rate limit: the HAProxy agent enforces API and tier limits only.`,
      });
  }
  return out;
}
