import type { ImportedOperation } from "./openapi";

/** Everything the emulated service holds; plain data so that tests can read it. */

export interface ApiEntity {
  id: string;
  displayName: string;
  description: string;
  path: string;
  serviceUrl?: string;
  protocols: string[];
  apiVersion?: string;
  apiVersionSetId?: string;
  apiRevision: string;
  apiRevisionDescription?: string;
  isCurrent: boolean;
  subscriptionRequired: boolean;
  subscriptionKeyParameterNames: { header: string; query: string };
  operations: ImportedOperation[];
  components?: Record<string, unknown>;
  etag: string;
}

export interface VersionSetEntity {
  id: string;
  displayName: string;
  description?: string;
  versioningScheme: "Segment" | "Query" | "Header";
  versionQueryName?: string;
  versionHeaderName?: string;
  etag: string;
}

export interface ProductEntity {
  id: string;
  displayName: string;
  description?: string;
  subscriptionRequired: boolean;
  approvalRequired: boolean;
  state: "published" | "notPublished";
  apis: string[];
  etag: string;
}

export interface SubscriptionEntity {
  id: string;
  displayName: string;
  /** "/products/{id}", "/apis/{id}" or "/apis". */
  scope: string;
  state: string;
  primaryKey: string;
  secondaryKey: string;
  createdDate: string;
  etag: string;
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface EmulatorStore {
  apis: Map<string, ApiEntity>;
  versionSets: Map<string, VersionSetEntity>;
  products: Map<string, ProductEntity>;
  subscriptions: Map<string, SubscriptionEntity>;
  /** API policy by API id; operation policies by "<apiId>/<operationId>". */
  apiPolicies: Map<string, string>;
  operationPolicies: Map<string, string>;
  /** Issued bearer tokens → expiry (ms since epoch). */
  tokens: Map<string, number>;
  operationResults: Map<string, { remaining: number; resource: () => unknown }>;
  exports: Map<string, { document: Record<string, unknown>; expires: number }>;
  requests: CapturedRequest[];
  /** What the gateway (data plane) carried, one entry per answered request: the source of the reports. */
  traffic: TrafficRecord[];
}

/** One call through the gateway, as API Management's reports count it. */
export interface TrafficRecord {
  time: number;
  apiId: string;
  operationId: string | null;
  subscriptionId: string | null;
  productId: string | null;
  status: number;
  /** Whole time in the gateway (ms). */
  apiTimeMs: number;
  /** Time spent waiting for the backend (ms); null when the call never reached it. */
  serviceTimeMs: number | null;
  bandwidth: number;
}

export function emptyStore(): EmulatorStore {
  return {
    apis: new Map(),
    versionSets: new Map(),
    products: new Map(),
    subscriptions: new Map(),
    apiPolicies: new Map(),
    operationPolicies: new Map(),
    tokens: new Map(),
    operationResults: new Map(),
    exports: new Map(),
    requests: [],
    traffic: [],
  };
}

/** Resets the service's content but keeps issued tokens, as a real reset of data would. */
export function clearStore(store: EmulatorStore): void {
  const tokens = store.tokens;
  Object.assign(store, emptyStore(), { tokens });
}
