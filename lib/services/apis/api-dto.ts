import { allowedActions, type LifecycleAction, type LifecycleState } from "@/lib/domain/lifecycle";
import type { RateLimit } from "@/lib/domain/openapi/operations";
import { effectiveScopes } from "@/lib/domain/openapi/scopes";
import type { SourceFormat, SpecVersion } from "@/lib/domain/openapi/types";
import type { ApiCors, ApiEndpoints, ApiRow, ApiSecurity, ApiSettingsSnapshot, ApiVisibility } from "@/lib/db/schema";

export interface ApiSummary {
  id: string;
  name: string;
  version: string;
  context: string;
  description: string;
  lifecycleState: LifecycleState;
  tags: string[];
  operationCount: number;
  updatedAt: string;
}

export interface ApiOwner {
  id: string;
  email: string | null;
  name: string | null;
}

export interface ApiDetail extends ApiSummary {
  visibility: ApiVisibility;
  visibleRoles: string[];
  endpoints: ApiEndpoints;
  security: ApiSecurity;
  rateLimit: RateLimit | null;
  cors: ApiCors;
  allowedTiers: string[];
  owners: ApiOwner[];
  origin: string;
  sourceSpec: SpecVersion;
  definitionFormat: SourceFormat;
  allowedActions: LifecycleAction[];
  lastRevisionNumber: number;
  createdBy: string | null;
  createdAt: string;
}

/** The columns a list needs: never the document. */
export type ApiSummaryRow = Pick<
  ApiRow,
  "id" | "name" | "version" | "context" | "description" | "lifecycleState" | "tags" | "operationCount" | "updatedAt"
>;

export function toApiSummary(row: ApiSummaryRow): ApiSummary {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    context: row.context,
    description: row.description.length > 300 ? `${row.description.slice(0, 297)}…` : row.description,
    lifecycleState: row.lifecycleState,
    tags: row.tags,
    operationCount: row.operationCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** From the small columns (see apiMetaColumns): the document is served separately. */
export function toApiDetail(row: Omit<ApiRow, "definition" | "definitionSource" | "operations">, owners: ApiOwner[]): ApiDetail {
  return {
    ...toApiSummary(row),
    description: row.description,
    visibility: row.visibility,
    visibleRoles: row.visibleRoles,
    endpoints: row.endpoints,
    security: row.security,
    rateLimit: row.rateLimit ?? null,
    cors: row.cors,
    allowedTiers: row.allowedTiers,
    owners,
    origin: row.origin,
    sourceSpec: row.sourceSpec,
    definitionFormat: row.definitionFormat,
    allowedActions: allowedActions(row.lifecycleState),
    lastRevisionNumber: row.lastRevisionNumber,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The settings of the working copy, as a revision snapshots them. */
export function settingsSnapshot(row: ApiRow): ApiSettingsSnapshot {
  const operationPolicies: ApiSettingsSnapshot["operationPolicies"] = {};
  for (const op of row.operations) {
    const scopes = effectiveScopes({ documentScopes: op.documentScopes ?? [], scopes: op.scopes ?? null });
    if (op.security || op.rateLimit || scopes.length) {
      operationPolicies[`${op.method.toUpperCase()} ${op.path}`] = {
        security: op.security,
        rateLimit: op.rateLimit,
        ...(scopes.length ? { scopes } : {}),
      };
    }
  }
  return {
    name: row.name,
    description: row.description,
    version: row.version,
    context: row.context,
    tags: row.tags,
    visibility: row.visibility,
    visibleRoles: row.visibleRoles,
    endpoints: row.endpoints,
    security: row.security,
    rateLimit: row.rateLimit ?? null,
    cors: row.cors,
    allowedTiers: row.allowedTiers,
    operationPolicies,
  };
}
