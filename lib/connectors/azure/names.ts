import { createHash } from "node:crypto";
import { ConnectorError } from "../types";

/**
 * Azure resource names for Meridian objects. Deterministic, so that every retry and redeploy
 * writes the same resources (createOrUpdate is then idempotent by construction), and within
 * Azure's rules: ids of 1-256 letters, digits and hyphens, not starting or ending with a hyphen;
 * display names of at most 300 (version sets and subscriptions: 100); a path of at most 400
 * characters without a leading slash.
 */

const MAX_ID = 256;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

const shortHash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 6);

/**
 * Lower-case letters, digits and single hyphens. When characters had to be replaced, a short
 * hash of the original keeps distinct names distinct ("/store/orders" and "/store-orders").
 */
export function slug(value: string, what: string): string {
  const plain = value.trim().toLowerCase();
  const s = plain.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (!s) throw new ConnectorError("invalid", `The ${what} "${value}" has no letter or digit to name an Azure resource with.`);
  return s === plain ? s : `${s}-${shortHash(value)}`;
}

/** Keeps an id within 256 characters: a long one keeps its start and ends with a hash of the whole. */
function capId(id: string): string {
  if (id.length <= MAX_ID) return id;
  return `${id.slice(0, MAX_ID - 7).replace(/-+$/, "")}-${shortHash(id)}`;
}

const capText = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export interface AzureNames {
  apiId: string;
  versionSetId: string;
  path: string;
  apiVersion: string;
  displayName: string;
  versionSetDisplayName: string;
  productId(tier: string): string;
  productDisplayName(tierDisplayName: string): string;
}

export function azureNames(api: { name: string; version: string; context: string }): AzureNames {
  const path = api.context.trim().replace(/^\/+|\/+$/g, "");
  if (!path)
    throw new ConnectorError("invalid", `The context "${api.context}" is empty: Azure API Management needs a path to serve the API at.`);
  if (path.length > 400)
    throw new ConnectorError("invalid", `The context "${api.context}" is longer than the 400 characters Azure allows for an API path.`);
  const bad = path.split("/").find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined)
    throw new ConnectorError(
      "invalid",
      `The context "${api.context}" has a segment "${bad}" that Azure cannot serve: use letters, digits and - . _ ~ only.`,
    );
  const version = api.version.trim();
  if (!version || version.length > 100 || !SEGMENT.test(version)) {
    throw new ConnectorError(
      "invalid",
      `The version "${api.version}" cannot be a URL segment on Azure: use 1-100 letters, digits and - . _ ~.`,
    );
  }
  const name = api.name.trim();
  if (!name) throw new ConnectorError("invalid", "The API has no name to show on Azure.");
  const contextSlug = slug(path, "context");
  const apiId = capId(`meridian-${contextSlug}-${slug(version, "version")}`);
  return {
    apiId,
    versionSetId: capId(`meridian-${contextSlug}`),
    path,
    apiVersion: version,
    displayName: capText(name, 300),
    versionSetDisplayName: capText(name, 100),
    productId: (tier) => capId(`${apiId}-${slug(tier, "tier name")}`),
    productDisplayName: (tierDisplayName) => capText(`${name} ${version} – ${tierDisplayName}`, 300),
  };
}

/** The Azure subscription that carries one Meridian key: one per (subscription, key). */
export function subscriptionSid(subscriptionId: string, keyId: string): string {
  return capId(`meridian-${slug(subscriptionId, "subscription id")}-${slug(keyId, "key id")}`);
}

export const subscriptionDisplayName = (applicationName: string, keyType: string) => capText(`${applicationName} (${keyType})`, 100);
