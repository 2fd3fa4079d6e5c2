import type { ApiRow } from "@/lib/db/schema";
import type { LifecycleState } from "@/lib/domain/lifecycle";
import type { SecurityScheme } from "@/lib/domain/openapi/operations";

export interface CatalogItem {
  id: string;
  name: string;
  version: string;
  context: string;
  description: string;
  tags: string[];
  lifecycleState: LifecycleState;
  operationCount: number;
  updatedAt: string;
}

export interface CatalogOperation {
  method: string;
  path: string;
  summary: string | null;
  deprecated: boolean;
  /** The scheme the gateway asks for on this operation (the operation's override or the API's). */
  security: SecurityScheme;
}

export interface GatewayEndpoint {
  environment: string;
  displayName: string;
  region: string;
  type: string;
  /** Base URLs of this API version on the environment's gateways: `{publicUrl}{context}/{version}`. */
  urls: string[];
}

export interface CatalogTier {
  name: string;
  displayName: string;
  description: string;
  summary: string;
}

export interface CatalogApiDetail extends CatalogItem {
  security: { scheme: SecurityScheme; apiKeyHeader: string };
  cors: { enabled: boolean; origins: string[]; headers: string[] };
  operations: CatalogOperation[];
  gateways: GatewayEndpoint[];
  tiers: CatalogTier[];
  /** Only published APIs take new subscriptions. */
  subscribable: boolean;
}

export type CatalogItemRow = Pick<
  ApiRow,
  "id" | "name" | "version" | "context" | "description" | "tags" | "lifecycleState" | "operationCount" | "updatedAt"
>;

export function toCatalogItem(row: CatalogItemRow): CatalogItem {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    context: row.context,
    description: row.description.length > 280 ? `${row.description.slice(0, 277)}…` : row.description,
    tags: row.tags,
    lifecycleState: row.lifecycleState,
    operationCount: row.operationCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Where an API version answers on a gateway: `/{context}/{version}` under each public URL. */
export function gatewayUrls(publicUrls: string[], context: string, version: string): string[] {
  return publicUrls.map((u) => `${u.replace(/\/+$/, "")}${context}/${encodeURIComponent(version)}`);
}
