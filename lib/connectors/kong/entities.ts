import { createHash } from "node:crypto";

/**
 * Kong's entities as Meridian writes them (Kong 3.x Admin API and declarative format 3.0), and
 * the rules that name, tag and identify them. Pure.
 */

export const MERIDIAN_TAG = "meridian";
export const apiTag = (apiId: string) => `meridian-api:${apiId}`;
/** The ACL group whose members may call one API: the applications subscribed to it. */
export const aclGroup = (apiId: string) => `meridian-api-${apiId}`;

export interface KongRef {
  id: string;
}

export interface KongService {
  id: string;
  name: string;
  protocol: "http" | "https";
  host: string;
  port: number;
  path?: string;
  retries: number;
  connect_timeout: number;
  read_timeout: number;
  write_timeout: number;
  tags: string[];
}

export interface KongRoute {
  id: string;
  name: string;
  protocols: Array<"http" | "https">;
  methods: string[];
  paths: string[];
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number;
  service?: KongRef;
  tags: string[];
}

export interface KongPlugin {
  id: string;
  name: string;
  enabled: boolean;
  protocols: Array<"grpc" | "grpcs" | "http" | "https">;
  config: Record<string, unknown>;
  service?: KongRef | null;
  route?: KongRef | null;
  consumer?: KongRef | null;
  tags: string[];
}

export interface KongConsumer {
  id: string;
  username: string;
  custom_id?: string;
  tags: string[];
}

export interface KongKeyAuth {
  id: string;
  key: string;
  consumer?: KongRef;
  tags: string[];
}

export interface KongJwtSecret {
  id: string;
  key: string;
  algorithm: "ES256";
  rsa_public_key: string;
  secret?: string;
  consumer?: KongRef;
  tags: string[];
}

export interface KongAcl {
  id: string;
  group: string;
  consumer?: KongRef;
  tags: string[];
}

/**
 * A name-based UUID (RFC 4122 version 5 layout, SHA-1 of Meridian's own namespace and the
 * name): every entity of a deployment has the same id on every attempt, so writes are upserts
 * and a retry converges instead of duplicating.
 */
export function stableId(name: string): string {
  const h = createHash("sha1").update("meridian-kong:").update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Kong entity names: letters, digits and `.-_~` only. */
export function kongName(text: string): string {
  return text.replace(/[^A-Za-z0-9.\-_~]+/g, "_").replace(/^_+|_+$/g, "") || "x";
}

export const isMeridians = (entity: { tags?: string[] | null }) => !!entity.tags?.includes(MERIDIAN_TAG);
export const isApis = (entity: { tags?: string[] | null }, apiId: string) => !!entity.tags?.includes(apiTag(apiId));

/** One consumer per Meridian application, shared by every API of the environment. */
export function consumerFor(applicationId: string): KongConsumer {
  return {
    id: stableId(`consumer|${applicationId}`),
    username: `meridian-app-${kongName(applicationId)}`,
    custom_id: applicationId,
    tags: [MERIDIAN_TAG, `meridian-app:${applicationId}`],
  };
}
