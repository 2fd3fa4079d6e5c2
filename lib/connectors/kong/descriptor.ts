import { z } from "zod";
import { field, httpUrl, secretString } from "../fields";
import type { ConnectorDescriptor } from "../types";

/** How Kong is run: entities through the Admin API and its database, one declarative file (DB-less), or Kong Konnect. */
export const KONG_MODES = ["database", "dbless", "konnect"] as const;
export type KongMode = (typeof KONG_MODES)[number];

export const kongConfigSchema = z
  .object({
    mode: field(z.enum(KONG_MODES, { error: "Choose database, dbless or konnect." }).optional(), {
      label: "How Kong runs",
      help: "Admin API with a database (the default when empty), DB-less (one declarative configuration posted to /config), or Kong Konnect.",
      options: [
        { value: "database", label: "Admin API with a database" },
        { value: "dbless", label: "DB-less (declarative /config)" },
        { value: "konnect", label: "Kong Konnect control plane" },
      ],
    }),
    adminUrl: field(httpUrl(), {
      label: "Admin API URL",
      help: "The Kong Admin API, for example http://kong-admin.internal:8001; for Konnect the regional API, for example https://eu.api.konghq.com.",
      placeholder: "http://kong-admin:8001",
    }),
    adminToken: field(secretString("admin token", 1024).optional(), {
      label: "Admin token",
      help: "Sent as Kong-Admin-Token (Kong Enterprise RBAC); for Konnect a personal or system access token, sent as a bearer token. Leave empty when the Admin API needs none.",
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
    controlPlaneId: field(
      z
        .string()
        .trim()
        .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "Enter the control plane id as a UUID.")
        .optional(),
      {
        label: "Konnect control plane id",
        help: "Konnect only: the control plane whose core entities Meridian manages.",
        placeholder: "00000000-0000-0000-0000-000000000000",
      },
    ),
    caCertificate: field(
      z
        .string()
        .trim()
        .max(65536, "Use at most 64 KiB of PEM.")
        .regex(/-----BEGIN CERTIFICATE-----/, "Paste the certificate in PEM form, from -----BEGIN CERTIFICATE----- on.")
        .optional(),
      {
        label: "CA certificate (PEM)",
        help: "For an Admin API served over HTTPS with a private CA.",
        multiline: true,
        placeholder: "-----BEGIN CERTIFICATE-----",
      },
    ),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode === "konnect" && !config.controlPlaneId)
      ctx.addIssue({ code: "custom", path: ["controlPlaneId"], message: "Konnect needs the control plane id." });
    if (config.mode === "konnect" && !config.adminToken)
      ctx.addIssue({ code: "custom", path: ["adminToken"], message: "Konnect needs a personal or system access token." });
    if (config.mode === "konnect" && config.workspace)
      ctx.addIssue({ code: "custom", path: ["workspace"], message: "Konnect has no workspaces: leave this empty." });
  });

export type KongConfig = z.output<typeof kongConfigSchema>;

export const kongMode = (config: KongConfig): KongMode => config.mode ?? "database";

export const kongDescriptor: ConnectorDescriptor = {
  type: "kong",
  label: "Kong Gateway",
  description: "Kong Gateway through its Admin API (with a database or DB-less) or Kong Konnect: services, routes, consumers and plugins.",
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
    jwtCredentials: true,
  },
  configSchema: kongConfigSchema,
};
