import { z } from "zod";
import type { ConnectorDescriptor } from "../types";

export const builtinDescriptor: ConnectorDescriptor = {
  type: "builtin",
  label: "Meridian gateway",
  description: "Meridian's own gateway. It pulls what it must serve with the environment's gateway token; it needs no connection settings.",
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
