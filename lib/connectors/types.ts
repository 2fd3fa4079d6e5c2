import type { z } from "zod";

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

/** What a deployment names: one revision of one API, for one environment. */
export interface DeploymentInput {
  config: ConnectorConfig;
  environment: { name: string; publicUrls: string[] };
  api: { id: string; name: string; version: string; context: string };
  revision: { id: string; number: number; definition: Record<string, unknown> };
}

/** A typed, versioned reference to what a deployment created remotely. */
export interface DeploymentRef {
  type: ConnectorType;
  version: number;
  ids: Record<string, string>;
  invokeUrl?: string;
  contentHash: string;
}

export interface DeploymentPlan {
  artifacts: Array<{ kind: string; name: string; content: unknown }>;
}

export interface DiscoveredApi {
  externalId: string;
  name: string;
  version?: string;
  context?: string;
  definition?: Record<string, unknown>;
  contentHash: string;
}

export interface ObservedState {
  exists: boolean;
  contentHash?: string;
  details?: Record<string, unknown>;
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
  undeploy(config: ConnectorConfig, ref: DeploymentRef): Promise<void>;

  /** Complete (paginated) listing of the APIs that run on the gateway, each with a content hash. */
  discover(config: ConnectorConfig): Promise<DiscoveredApi[]>;

  /** What really runs for a deployment, for drift detection. */
  observe(config: ConnectorConfig, ref: DeploymentRef): Promise<ObservedState>;
}
