import { randomBytes } from "node:crypto";

/** The emulator's memory: what API Gateway would hold for one account and Region. Maps keep insertion order, which is the listing order, so pages stay stable. */

export interface EmuIntegration {
  type: "HTTP_PROXY" | "HTTP" | "MOCK" | "AWS_PROXY" | "AWS";
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  timeoutInMillis: number;
  integrationResponses?: Record<
    string,
    { statusCode: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }
  >;
}

export interface EmuMethod {
  httpMethod: string;
  authorizationType: "NONE" | "CUSTOM";
  authorizerId?: string;
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters: Record<string, boolean>;
  methodResponses: Record<string, { statusCode: string; responseParameters?: Record<string, boolean> }>;
  methodIntegration?: EmuIntegration;
}

export interface EmuResource {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods: Record<string, EmuMethod>;
}

export interface EmuAuthorizer {
  id: string;
  name: string;
  type: "TOKEN" | "REQUEST";
  authorizerUri: string;
  authorizerCredentials?: string;
  identitySource: string;
  authorizerResultTtlInSeconds: number;
}

/** What a deployment freezes: the API as it was when deployed. */
export interface EmuSnapshot {
  resources: EmuResource[];
  authorizers: EmuAuthorizer[];
  apiKeySource: "HEADER" | "AUTHORIZER";
  name: string;
  version?: string;
  description?: string;
}

export interface EmuDeployment {
  id: string;
  description?: string;
  createdDate: number;
  snapshot: EmuSnapshot;
}

export interface EmuMethodSetting {
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
}

export interface EmuStage {
  stageName: string;
  deploymentId: string;
  description?: string;
  createdDate: number;
  lastUpdatedDate: number;
  methodSettings: Record<string, EmuMethodSetting>;
  variables: Record<string, string>;
  tags: Record<string, string>;
}

export interface EmuRestApi {
  id: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  apiKeySource: "HEADER" | "AUTHORIZER";
  endpointConfiguration: { types: string[] };
  tags: Record<string, string>;
  rootResourceId: string;
  resources: Map<string, EmuResource>;
  authorizers: Map<string, EmuAuthorizer>;
  deployments: Map<string, EmuDeployment>;
  stages: Map<string, EmuStage>;
}

export interface EmuUsagePlan {
  id: string;
  name: string;
  description?: string;
  apiStages: Array<{ apiId: string; stage: string }>;
  throttle?: { rateLimit?: number; burstLimit?: number };
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH"; offset: number };
  tags: Record<string, string>;
  /** Ids of the API keys in the plan. */
  keys: string[];
}

export interface EmuApiKey {
  id: string;
  name?: string;
  value: string;
  enabled: boolean;
  description?: string;
  customerId?: string;
  createdDate: number;
  lastUpdatedDate: number;
  tags: Record<string, string>;
}

export interface EmulatorState {
  region: string;
  accountId: string;
  restApis: Map<string, EmuRestApi>;
  usagePlans: Map<string, EmuUsagePlan>;
  apiKeys: Map<string, EmuApiKey>;
  /** Every management request, in order, for tests that assert what a client sent. */
  requests: Array<{ method: string; path: string; status: number }>;
  /** What the data plane carried, one entry per answered request: the source of the CloudWatch metrics. */
  traffic: TrafficRecord[];
}

/** One request through a stage, as API Gateway reports it to CloudWatch (namespace AWS/ApiGateway). */
export interface TrafficRecord {
  time: number;
  apiName: string;
  stage: string;
  status: number;
  latencyMs: number;
  /** Null when the request never reached the integration. */
  integrationLatencyMs: number | null;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** API Gateway ids are ten lower-case letters and digits. */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** API Gateway's JSON timestamps are epoch seconds. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function createState(region: string): EmulatorState {
  return { region, accountId: "123456789012", restApis: new Map(), usagePlans: new Map(), apiKeys: new Map(), requests: [], traffic: [] };
}

export function resetState(state: EmulatorState): void {
  state.restApis.clear();
  state.usagePlans.clear();
  state.apiKeys.clear();
  state.requests.length = 0;
  state.traffic.length = 0;
}

/** A JSON view of everything, for GET /_emulator/state and for tests. */
export function stateView(state: EmulatorState) {
  return {
    region: state.region,
    restApis: [...state.restApis.values()].map((api) => ({
      id: api.id,
      name: api.name,
      version: api.version,
      tags: api.tags,
      resources: [...api.resources.values()].map((r) => ({ path: r.path, methods: Object.keys(r.resourceMethods) })),
      deployments: [...api.deployments.values()].map((d) => ({ id: d.id, description: d.description })),
      stages: [...api.stages.values()].map((s) => ({
        stageName: s.stageName,
        deploymentId: s.deploymentId,
        description: s.description,
        methodSettings: s.methodSettings,
      })),
    })),
    usagePlans: [...state.usagePlans.values()],
    apiKeys: [...state.apiKeys.values()].map((k) => ({ id: k.id, name: k.name, enabled: k.enabled, tags: k.tags })),
    requestCount: state.requests.length,
  };
}
