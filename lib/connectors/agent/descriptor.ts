import { z } from "zod";
import type { ConnectorDescriptor } from "../types";

export const agentDescriptor: ConnectorDescriptor = {
  type: "agent",
  label: "Gateway agent",
  description:
    "Any gateway with an agent beside it that speaks Meridian's gateway sync protocol: it pulls snapshots and reports heartbeats with the environment's gateway token.",
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
  configSchema: z.object({}).strict(),
};
