import { createHash } from "node:crypto";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/v1`;
export const ENVOY_GROUP = "gateway.envoyproxy.io";
export const ENVOY_API_VERSION = `${ENVOY_GROUP}/v1alpha1`;

export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const API_LABEL = "meridian.dev/api";
export const REVISION_ANNOTATION = "meridian.dev/revision";
export const DEPLOYMENT_ANNOTATION = "meridian.dev/deployment";
export const FIELD_MANAGER = "meridian";

/** The header Envoy Gateway fills with the caller's identity: the key's entry name, or the token's client_id. */
export const CLIENT_ID_HEADER = "x-meridian-client-id";

/** Labels every resource Meridian writes carries; Meridian changes or deletes nothing without them. */
export function meridianLabels(apiId: string): Record<string, string> {
  return { [MANAGED_BY]: "meridian", [API_LABEL]: labelValue(apiId) };
}

/** A label value: at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric. */
export function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return cleaned.length <= 63 ? cleaned : `${cleaned.slice(0, 54)}-${shortHash(value)}`;
}

export const shortHash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 8);

/** A DNS label (RFC 1123) from any text, at most `max` characters, made unique by a hash when cut. */
export function dnsLabel(value: string, max = 63): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (cleaned.length <= max) return cleaned || shortHash(value);
  return `${cleaned.slice(0, max - 9).replace(/-+$/, "")}-${shortHash(value)}`;
}

/**
 * The base name of every resource of one API: derived from Meridian's API id, so that a
 * redeploy, a retry and an undeploy all name the same resources. Suffixes stay under 63.
 */
export const baseName = (apiId: string) => `meridian-${dnsLabel(apiId, 40)}`;

/** A Secret data key ([-._a-zA-Z0-9]+) naming one installed key: its tier first, so that rate limit rules can select the tier. */
export function keyEntryName(tier: string, subscriptionId: string, keyId: string): string {
  return `${tierSlug(tier)}.${subscriptionId}.${keyId}`.replace(/[^-._a-zA-Z0-9]/g, "-");
}

export const tierSlug = (tier: string) => dnsLabel(tier, 40);
