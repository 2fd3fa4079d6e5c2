import { z } from "zod";
import { field, httpUrl, secretString } from "../fields";
import type { ConnectorDescriptor } from "../types";

export const kongConfigSchema = z
  .object({
    adminUrl: field(httpUrl(), {
      label: "Admin API URL",
      help: "The Kong Admin API, for example http://kong-admin.internal:8001.",
      placeholder: "http://kong-admin:8001",
    }),
    adminToken: field(secretString("admin token", 1024).optional(), {
      label: "Admin token",
      help: "Sent as Kong-Admin-Token (Kong Enterprise RBAC). Leave empty when the Admin API needs none.",
      secret: true,
    }),
    workspace: field(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "A workspace name is letters, digits, hyphens and underscores.")
        .optional(),
      { label: "Workspace", help: "Kong Enterprise workspace. Leave empty for the default workspace.", placeholder: "default" },
    ),
  })
  .strict();

export type KongConfig = z.output<typeof kongConfigSchema>;

export const kongDescriptor: ConnectorDescriptor = {
  type: "kong",
  label: "Kong Gateway",
  description: "Kong Gateway through its Admin API: services, routes, consumers and plugins.",
  modes: ["write-only", "read-only", "read-write"],
  capabilities: {
    delivery: "push",
    deploy: true,
    discover: true,
    observe: true,
    apiKeys: true,
    subscriptions: true,
    securitySchemes: ["oauth2", "apiKey", "none"],
    policies: ["rateLimit", "quota", "cors"],
  },
  configSchema: kongConfigSchema,
};
