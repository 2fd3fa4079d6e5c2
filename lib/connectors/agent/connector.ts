import { haproxyRefusalsFor } from "@/lib/domain/gateway/agent-gateways";
import { heartbeatTest } from "../heartbeat";
import { ownIssuerOnlyRefusals } from "../key-managers";
import { notAvailableYet } from "../not-available";
import type { Connector, DeploymentInput, DeploymentPlan, PlanNote } from "../types";
import { agentDescriptor } from "./descriptor";

/**
 * An agent pulls its snapshot, so a deployment is immediate (it enters the environment's next
 * snapshot) and has no remote side of its own. What the plan adds is the refusal of what the
 * environment's gateway cannot enforce, so that it is said before deploying and never found on
 * the gateway.
 */
export function planAgentDeployment(
  input: Pick<DeploymentInput, "config" | "tiers" | "revision" | "api" | "keyManager" | "keyManagers">,
): DeploymentPlan {
  const s = input.revision.settings;
  const artifacts: DeploymentPlan["artifacts"] = [
    {
      kind: "snapshot-api",
      name: `${s.context}/${s.version}`,
      format: "json",
      content: { context: s.context, version: s.version, security: s.security.scheme, cors: s.cors.enabled, rateLimit: s.rateLimit },
    },
  ];
  if (input.config.gateway !== "haproxy") return { artifacts, refusals: [] };
  const refusals = [
    ...haproxyRefusalsFor({
      tiers: input.tiers,
      operations: Object.entries(s.operationPolicies ?? {}).map(([label, policy]) => ({ label, rateLimit: policy.rateLimit })),
    }),
    // The HAProxy agent compiles the key manager's own signing keys for jwt_verify, not other issuers'.
    ...ownIssuerOnlyRefusals(input, "the HAProxy agent"),
  ];
  const notes: PlanNote[] = input.tiers
    .filter((t) => !t.unlimited && t.burst !== null && t.burst !== t.requests)
    .map((t) => ({
      feature: `Tier ${t.name}`,
      note: `HAProxy counts ${t.requests} requests per ${t.unit} in a sliding window; the burst of ${t.burst} is not applied separately.`,
    }));
  return { artifacts, refusals, notes };
}

export const agentConnector: Connector = {
  descriptor: agentDescriptor,
  testConnection: async (_config, ctx) => heartbeatTest("agent", ctx),
  ...notAvailableYet("Gateway agent"),
  plan: async (input) => planAgentDeployment(input),
};
