import { z } from "zod";
import { AGENT_GATEWAYS } from "@/lib/domain/gateway/agent-gateways";
import { field } from "../fields";
import type { ConnectorDescriptor } from "../types";

export const agentConfigSchema = z
  .object({
    gateway: field(z.enum(AGENT_GATEWAYS).default("custom"), {
      label: "Gateway",
      help: "The gateway the agent drives. Meridian refuses at plan time what that gateway cannot enforce (HAProxy: monthly quotas, operation rate limits).",
      options: [
        { value: "custom", label: "Custom agent (any gateway)" },
        { value: "haproxy", label: "HAProxy (npm run agent:haproxy)" },
      ],
    }),
  })
  .strict();

export type AgentConfig = z.output<typeof agentConfigSchema>;

export const agentDescriptor: ConnectorDescriptor = {
  type: "agent",
  label: "Gateway agent",
  description:
    "Any gateway with an agent beside it that speaks Meridian's gateway sync protocol: it pulls snapshots and reports heartbeats with the environment's gateway token. HAProxy has a ready agent (npm run agent:haproxy).",
  modes: ["write-only"],
  capabilities: {
    delivery: "pull",
    deploy: true,
    discover: false,
    observe: true,
    apiKeys: true,
    subscriptions: true,
    securitySchemes: ["oauth2", "apiKey", "none"],
    policies: ["rateLimit", "quota", "cors"],
  },
  configSchema: agentConfigSchema,
};
