import type { z } from "zod";
import type { ApiSettingsSnapshot } from "@/lib/db/schema/apis";

/**
 * The connector contract: every gateway type is translation plus I/O behind this interface.
 * A connector never reads the database or the session; it receives the decrypted config of
 * one environment as an argument, so that it can be tested against an emulator alone.
 */

export const CONNECTOR_TYPES = ["builtin", "aws", "azure", "kong", "envoy", "agent"] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** What Meridian may do with an environment: push APIs to it, read what runs there, or both. */
export const ENVIRONMENT_MODES = ["write-only", "read-only", "read-write"] as const;
export type EnvironmentMode = (typeof ENVIRONMENT_MODES)[number];

export type SecurityScheme = "oauth2" | "apiKey" | "none";
export type PolicyKind = "rateLimit" | "quota" | "cors";

export interface ConnectorCapabilities {
  /** push: Meridian calls the vendor's API; pull: an agent beside the gateway fetches snapshots. */
  delivery: "push" | "pull";
  deploy: boolean;
  discover: boolean;
  observe: boolean;
  apiKeys: boolean;
  subscriptions: boolean;
  securitySchemes: SecurityScheme[];
  policies: PolicyKind[];
  /**
   * The gateway checks Meridian's access tokens against a per-application credential holding the
   * key manager's public key (Kong's jwt_secret): key sync installs one per subscribed application
   * of an OAuth2 API and replaces it when the signing key rotates.
   */
  jwtCredentials?: boolean;
}

/** How the admin form renders one config field. */
export interface ConfigFieldMeta {
  label: string;
  help?: string;
  /** Encrypted at rest, masked on every read, kept when an edit leaves it blank. */
  secret?: boolean;
  /** A closed list of values: rendered as a select. */
  options?: Array<{ value: string; label: string }>;
  placeholder?: string;
  /** Multi-line input (certificates). */
  multiline?: boolean;
}

/** A connector's config schema: a zod object whose fields carry ConfigFieldMeta. */
export type ConfigSchema = z.ZodObject;

export interface ConnectorDescriptor {
  type: ConnectorType;
  label: string;
  description: string;
  modes: EnvironmentMode[];
  capabilities: ConnectorCapabilities;
  configSchema: ConfigSchema;
}

export type ConnectorConfig = Record<string, unknown>;

export interface TestConnectionContext {
  /** Aborted when the test's time limit runs out: pass it to every request. */
  signal: AbortSignal;
  /** For pull gateways: what the control plane knows from heartbeats. */
  heartbeat: { lastSeenAt: Date | null; healthyInstances: number; totalInstances: number };
  now: Date;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** One sentence a person can act on. */
  message: string;
  /** Config field → what is wrong with it, when the failure points at one field. */
  fieldErrors?: Record<string, string>;
}

/** A subscription tier as a gateway must enforce it; `requests`/`unit` are null when unlimited. */
export interface DeploymentTier {
  name: string;
  displayName: string;
  requests: number | null;
  unit: "second" | "minute" | "hour" | "day" | null;
  burst: number | null;
  monthlyQuota: number | null;
  unlimited: boolean;
}

/** A key manager (Meridian's, or an external OpenID provider), for gateways that check its JWT access tokens themselves. */
export interface KeyManagerInfo {
  /** `builtin` for Meridian's own, else the external key manager's id. */
  id?: string;
  issuer: string;
  /** The first of `audiences`. */
  audience: string;
  /** Every accepted `aud` value; absent means `[audience]`. */
  audiences?: string[];
  jwksUri: string;
  openidConfigurationUrl: string;
  /** The claim that names the client (`client_id`, `azp`, …); absent means `client_id`. */
  clientIdClaim?: string;
}

/** What a deployment names: one revision of one API, for one environment. */
export interface DeploymentInput {
  config: ConnectorConfig;
  environment: { name: string; region: string; publicUrls: string[] };
  api: { id: string; name: string; version: string; context: string; description: string };
  /** `definition` is the revision's OpenAPI 3.x document; `settings` its security, CORS, limits, endpoints. */
  revision: { id: string; number: number; definition: Record<string, unknown>; settings: ApiSettingsSnapshot };
  /** The backend URL this environment proxies to (the revision's production endpoint, override applied). */
  endpoint: string;
  /** The subscription tiers the API allows, with their limits. */
  tiers: DeploymentTier[];
  /** Meridian's own key manager. */
  keyManager: KeyManagerInfo;
  /**
   * The key managers whose tokens the API accepts, Meridian's own (`keyManager`) among them when
   * it is accepted. Absent means Meridian's alone; read it through `acceptedKeyManagers(input)`.
   */
  keyManagers?: KeyManagerInfo[];
  /** The same on every retry of one deployment: connectors use it to make writes idempotent. */
  idempotencyKey: string;
  /** Reports progress; the publisher sees each step live. */
  onStep?: (step: string, detail?: string) => void | Promise<void>;
  /** Aborted when the job is cancelled or the worker stops: pass it to every request. */
  signal?: AbortSignal;
}

/** A typed, versioned reference to what a deployment created remotely. */
export interface DeploymentRef {
  type: ConnectorType;
  version: number;
  /** Remote ids: for AWS restApiId, deploymentId, usagePlan:<tier>; for Azure apiId, versionSetId, product:<tier>. */
  ids: Record<string, string>;
  stage?: string;
  invokeUrl?: string;
  contentHash: string;
  revisionNumber?: number;
}

export interface PlanArtifact {
  /** For example "openapi", "usage-plan", "api", "policy", "product". */
  kind: string;
  name: string;
  format: "json" | "xml" | "text";
  content: unknown;
}

/** A feature of the API that this environment cannot enforce: deploying would drop it, so it is refused. */
export interface PlanRefusal {
  feature: string;
  reason: string;
}

/**
 * Something the environment does differently from Meridian, which the deployment accepts: the
 * publisher reads it in the plan before deploying (a renamed schema, a limit counted otherwise).
 */
export interface PlanNote {
  feature: string;
  note: string;
}

export interface DeploymentPlan {
  artifacts: PlanArtifact[];
  refusals: PlanRefusal[];
  notes?: PlanNote[];
}

export interface UndeployOptions {
  /** Remove the remote API itself, not only what serves it (AWS: the REST API beside the stage). */
  deleteApi?: boolean;
  signal?: AbortSignal;
  onStep?: (step: string, detail?: string) => void | Promise<void>;
}

/** A subscription's key, issued by Meridian, for gateways that check keys themselves. */
export interface SubscriptionKeyInput {
  config: ConnectorConfig;
  ref: DeploymentRef;
  subscription: { id: string; applicationId: string; applicationName: string; tier: string };
  /**
   * An API key (`value` is the key), or for connectors with `jwtCredentials` an application's
   * OAuth2 credential: `clientId` and the key manager's current public key (PEM) as `value`.
   */
  key: { id: string; value: string; keyType: "production" | "sandbox"; kind?: "apiKey" | "jwt"; clientId?: string };
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface DiscoveredApi {
  externalId: string;
  name: string;
  version?: string;
  context?: string;
  /** OpenAPI 3.x export of the API, when the gateway gives one. */
  definition?: Record<string, unknown>;
  /** The backend URLs the gateway calls (AWS integration URIs, Azure service URL). */
  upstreams?: string[];
  contentHash: string;
}

export interface ObservedState {
  exists: boolean;
  contentHash?: string;
  details?: Record<string, unknown>;
}

/**
 * What runs on the gateway for a deployment, as native artifacts comparable with one another
 * (same kinds and names from one read to the next): drift detection compares them with the
 * artifacts read back right after Meridian applied the deployment.
 */
export interface LiveState {
  /** False when the deployment is gone from the gateway (API, stage or route deleted there). */
  exists: boolean;
  artifacts: PlanArtifact[];
  /** Why it does not exist, in words. */
  reason?: string;
}

/**
 * A remote failure, classified. The deployment engine retries `retryable` ones (throttling,
 * 5xx, timeouts) with back-off and fails the job with `message` otherwise.
 */
export class ConnectorError extends Error {
  constructor(
    readonly code:
      "throttled" | "unavailable" | "timeout" | "not_found" | "conflict" | "invalid" | "unauthorized" | "forbidden" | "unsupported",
    message: string,
    readonly retryable: boolean = code === "throttled" || code === "unavailable" || code === "timeout",
    readonly status?: number,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

export interface Connector {
  /** Type, label, supported modes, capabilities and the config schema with field metadata. */
  readonly descriptor: ConnectorDescriptor;

  /**
   * One cheap live call that proves the config works (reachable, credentials accepted, the
   * named resource exists). Never throws for a remote failure: it answers ok: false with a
   * message and, where the failure points at one field, a field error.
   */
  testConnection(config: ConnectorConfig, ctx: TestConnectionContext): Promise<ConnectionTestResult>;

  /** The native artifacts a deploy would write, with no side effect; shown before deploying. */
  plan(input: DeploymentInput): Promise<DeploymentPlan>;

  /**
   * Creates or updates the API on the gateway; idempotent. On failure it leaves the previous
   * revision serving and removes what it created.
   */
  deploy(input: DeploymentInput, previousRef?: DeploymentRef): Promise<DeploymentRef>;

  /** Removes what a deployment created; a remote "not found" counts as success. */
  undeploy(config: ConnectorConfig, ref: DeploymentRef, options?: UndeployOptions): Promise<void>;

  /** Complete (paginated) listing of the APIs that run on the gateway, each with a content hash. */
  discover(config: ConnectorConfig, options?: { signal?: AbortSignal }): Promise<DiscoveredApi[]>;

  /** What really runs for a deployment, for drift detection. */
  observe(config: ConnectorConfig, ref: DeploymentRef): Promise<ObservedState>;

  /**
   * Optional, for drift detection: reads what runs for a deployment as native artifacts (the
   * API export with its integrations, policies, usage plans or products). Connectors without
   * it are not checked for drift.
   */
  readLive?(config: ConnectorConfig, ref: DeploymentRef, options?: { signal?: AbortSignal }): Promise<LiveState>;

  /** Gateways that check API keys themselves: installs a Meridian-issued key for a subscription; returns remote ids. Idempotent. */
  provisionKey?(input: SubscriptionKeyInput): Promise<Record<string, string>>;

  /**
   * Gateways that check Meridian's access tokens themselves and list who may call (Envoy
   * Gateway's authorization rules): sets the OAuth2 client ids of the applications actively
   * subscribed to the API, replacing the previous list. Idempotent.
   */
  syncClients?(config: ConnectorConfig, ref: DeploymentRef, clientIds: string[], options?: { signal?: AbortSignal }): Promise<void>;

  /** Removes a key installed by provisionKey; a remote "not found" counts as success. */
  revokeKey?(
    config: ConnectorConfig,
    ref: DeploymentRef,
    remoteIds: Record<string, string>,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
}
