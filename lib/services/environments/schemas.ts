import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { httpUrl } from "@/lib/connectors/fields";
import { CONNECTOR_TYPES, ENVIRONMENT_MODES } from "@/lib/connectors/types";

/** Immutable: deployments, endpoint overrides and gateways refer to environments by name. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{1,62}$/;
// Names that would collide with a route: the admin portal's /admin/environments/new and the
// management API's /api/v1/apis/{id}/deployments/plan (beside …/deployments/{environment}).
const RESERVED_NAMES = new Set(["new", "plan"]);

export const environmentNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .regex(ENVIRONMENT_NAME, "Use 2 to 63 lowercase letters, digits and hyphens, starting with a letter (for example eu-prod).")
  .refine((n) => !RESERVED_NAMES.has(n), "This name is reserved: choose another.");

export const MAX_DISCOVERY_INTERVAL_MINUTES = 7 * 24 * 60;

const discoveryIntervalSchema = z.coerce
  .number({ error: "Enter a number of minutes." })
  .int("Use whole minutes.")
  .min(0, "Use 0 to turn discovery off.")
  .max(MAX_DISCOVERY_INTERVAL_MINUTES, "At most one week (10080 minutes).")
  .refine((m) => m === 0 || m >= 5, "Discover at most every 5 minutes, or use 0 to turn it off.");

/** Config values as sent: strings for fields, null to clear a stored value on edit. */
export const configInputSchema = z.record(z.string(), z.union([z.string().max(65536), z.null()]), {
  error: "The config is an object of field values.",
});

const editable = {
  displayName: z.string({ error: "Enter a display name." }).trim().min(1, "Enter a display name.").max(100, "Use at most 100 characters."),
  description: z.string().trim().max(2000, "Use at most 2000 characters."),
  mode: z.enum(ENVIRONMENT_MODES, { error: `Choose a mode: ${ENVIRONMENT_MODES.join(", ")}.` }),
  region: z
    .string()
    .trim()
    .max(64, "Use at most 64 characters.")
    .regex(/^[A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces, dots, hyphens and underscores."),
  publicUrls: z
    .array(httpUrl("Enter http:// or https:// URLs."), { error: "Give the public URLs as a list." })
    .max(10, "At most 10 public URLs.")
    .transform((urls) => [...new Set(urls)]),
  visibleRoles: z
    .array(z.enum(ROLES, { error: `Choose among ${ROLES.join(", ")}.` }))
    .max(ROLES.length)
    .transform((roles) => [...new Set(roles)]),
  discoveryIntervalMinutes: discoveryIntervalSchema,
};

export const createEnvironmentSchema = z
  .object({
    name: environmentNameSchema,
    type: z.enum(CONNECTOR_TYPES, { error: `Unknown gateway type: choose one of ${CONNECTOR_TYPES.join(", ")}.` }),
    displayName: editable.displayName.optional(),
    description: editable.description.default(""),
    // Defaults to the first mode the connector supports.
    mode: editable.mode.optional(),
    region: editable.region.default(""),
    publicUrls: editable.publicUrls.default([]),
    visibleRoles: editable.visibleRoles.default([]),
    discoveryIntervalMinutes: editable.discoveryIntervalMinutes.default(0),
    config: configInputSchema.default({}),
  })
  .strict();
export type CreateEnvironmentInput = z.input<typeof createEnvironmentSchema>;

export const updateEnvironmentSchema = z
  .object({
    // Accepted only unchanged, so that a client may send back what it read.
    name: z.string().optional(),
    type: z.string().optional(),
    displayName: editable.displayName.optional(),
    description: editable.description.optional(),
    mode: editable.mode.optional(),
    region: editable.region.optional(),
    publicUrls: editable.publicUrls.optional(),
    visibleRoles: editable.visibleRoles.optional(),
    discoveryIntervalMinutes: editable.discoveryIntervalMinutes.optional(),
    /** Merged into the stored config: a blank or masked secret keeps its value, null clears a field. */
    config: configInputSchema.optional(),
  })
  .strict();
export type UpdateEnvironmentInput = z.input<typeof updateEnvironmentSchema>;

/**
 * What actions and route handlers accept before the service validates: any JSON object. The
 * service parses it, so that settings errors and connection errors come back together.
 */
export const environmentBodySchema = z.record(z.string(), z.unknown(), { error: "Send a JSON object." });
