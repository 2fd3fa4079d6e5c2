import { z } from "zod";
import { MAX_OPERATION_SCOPES, SCOPE_TOKEN } from "../openapi/scopes";

/**
 * The gateway sync contract: what the control plane serves at `GET /api/gateway/v1/snapshot`,
 * what a gateway posts to `/heartbeat` and `/events`. Pure, so both sides import the same
 * schemas. The gateway refuses a snapshot that does not parse and keeps serving the last good
 * one, so every rule the gateway relies on is checked here rather than at request time.
 *
 * Transport (all three endpoints): `Authorization: Bearer <gateway token>`, which names the
 * environment. Snapshot: `ETag: "<version>"` (the version in double quotes); the gateway sends
 * it back in `If-None-Match` with `?wait=<seconds>` (at most 30). The control plane answers
 * `200` at once when its version differs, otherwise holds the request until the environment
 * changes (`200`) or the wait ends (`304`, no body).
 */

/** Bumped only for incompatible changes; a gateway refuses formats it does not know. */
export const SNAPSHOT_FORMAT = 1;

/** Paths under this prefix belong to the gateway itself (health, readiness, metrics). */
export const RESERVED_PATH_PREFIX = "/__meridian";

const id = z.string().min(1).max(200);
const isoTime = z.iso.datetime({ offset: true });
const keyType = z.enum(["production", "sandbox"]);
const httpUrl = z.url({ protocol: /^https?$/ });
// One path segment of a context or version: no slash, no braces, no dot segments.
const safeSegment = /^(?!\.{1,2}$)[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

export const rateUnitSchema = z.enum(["second", "minute", "hour", "day"]);
export type RateUnit = z.infer<typeof rateUnitSchema>;

/**
 * A token bucket: `requests` per `unit` is the long-run rate; `burst` is the bucket's capacity,
 * how many requests may arrive at once after a quiet period.
 */
export const rateLimitSchema = z.object({
  requests: z.number().int().min(1),
  unit: rateUnitSchema,
  burst: z.number().int().min(1),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * Accepted credentials, any one of which suffices (like OpenAPI's security requirement list).
 * `[]` means no authentication: no application, no subscription check, only API and
 * operation limits apply.
 */
export const securitySchema = z.array(z.enum(["oauth2", "apiKey"])).max(2);
export type Security = z.infer<typeof securitySchema>;

export const httpMethodSchema = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
export type HttpMethod = z.infer<typeof httpMethodSchema>;

export const operationSchema = z.object({
  method: httpMethodSchema,
  /**
   * Path template relative to the API's base path (`/{context}/{version}`), as in OpenAPI:
   * `/pets/{id}`, `/files/{name}.json`; a last segment `*` matches any remainder.
   */
  path: z
    .string()
    .regex(/^\/[^?#\s]*$/)
    .max(1000),
  /** Replaces the API's `security` for this operation. */
  security: securitySchema.optional(),
  /** Skips authentication and the subscription check (a health or catalog endpoint). */
  open: z.boolean().optional(),
  /**
   * OAuth2 scopes the token must all carry (API keys carry no scopes and are refused). Scope
   * tokens of RFC 6749 §3.3, so that they can be quoted in a WWW-Authenticate challenge as they are.
   */
  scopes: z.array(z.string().regex(SCOPE_TOKEN)).max(MAX_OPERATION_SCOPES).optional(),
  /** Counts every call to this operation, whoever makes it. */
  rateLimit: rateLimitSchema.optional(),
});
export type SnapshotOperation = z.infer<typeof operationSchema>;

export const corsSchema = z.object({
  enabled: z.boolean(),
  /** Allowed origins (`https://app.example.com`), or `*` for any. */
  origins: z.array(z.string().min(1)),
  methods: z.array(httpMethodSchema),
  /** Request headers a browser may send (`Access-Control-Allow-Headers`). */
  headers: z.array(z.string().min(1)),
  credentials: z.boolean(),
  /** Seconds a browser may cache a preflight answer. */
  maxAge: z.number().int().min(0).max(86400),
});
export type Cors = z.infer<typeof corsSchema>;

export const lifecycleStateSchema = z.enum(["CREATED", "PROTOTYPED", "PUBLISHED", "DEPRECATED", "RETIRED", "BLOCKED"]);

export const snapshotApiSchema = z.object({
  id,
  name: z.string().min(1),
  /** Base path, one or more segments: `/pets`, `/store/orders`. Unique per version. */
  context: z
    .string()
    .max(200)
    .refine(
      (c) =>
        c.startsWith("/") &&
        c
          .slice(1)
          .split("/")
          .every((s) => safeSegment.test(s)),
      "A context is /segment[/segment…].",
    )
    .refine((c) => c !== RESERVED_PATH_PREFIX && !c.startsWith(`${RESERVED_PATH_PREFIX}/`), `${RESERVED_PATH_PREFIX} is reserved.`),
  /** Served at `/{context}/{version}/…`; the default version also at `/{context}/…`. */
  version: z.string().max(50).regex(safeSegment),
  isDefaultVersion: z.boolean(),
  /** BLOCKED APIs answer 503; RETIRED ones should not be in a snapshot at all. */
  lifecycleState: lifecycleStateSchema,
  /** The deployed revision, echoed for diagnostics. */
  revisionId: id,
  upstream: z.object({
    /** Base URL; the request path after the context and version is appended to its path. */
    production: httpUrl,
    /** Where sandbox keys and tokens go; null refuses them with 403. */
    sandbox: httpUrl.nullable(),
    /** Overrides the gateway's default response-headers timeout for this API. */
    timeoutMs: z.number().int().min(1).max(600_000).optional(),
  }),
  security: securitySchema,
  operations: z.array(operationSchema),
  /** Counts every call to the API, whoever makes it. */
  rateLimit: rateLimitSchema.optional(),
  cors: corsSchema.optional(),
  /**
   * Ids of the key managers whose access tokens this API accepts (`builtin` for Meridian's own,
   * else entries of the snapshot's `keyManagers`). Absent: the built-in one only.
   */
  keyManagers: z.array(z.string().min(1).max(100)).max(20).optional(),
});
export type SnapshotApi = z.infer<typeof snapshotApiSchema>;

export const subscriptionSchema = z.object({
  id,
  applicationId: id,
  apiId: id,
  /** Name of an entry of `tiers`: the bucket per application × API. */
  tier: z.string().min(1),
  status: z.enum(["active", "blocked", "pending"]),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const apiKeySchema = z.object({
  /** Lowercase hex SHA-256 of the whole key as the client sends it (prefix included). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  applicationId: id,
  keyType,
  expiresAt: isoTime.nullable().optional(),
});
export type SnapshotApiKey = z.infer<typeof apiKeySchema>;

export const tierSchema = z
  .object({
    name: z.string().min(1),
    /** Ignored when `unlimited`. */
    requests: z.number().int().min(0),
    unit: rateUnitSchema,
    burst: z.number().int().min(0),
    unlimited: z.boolean(),
    /**
     * Requests per application × API per calendar month (UTC); null or absent for none. Ignored
     * when `unlimited`. Optional so that a gateway still reads snapshots cached before it existed.
     */
    monthlyQuota: z.number().int().min(1).nullable().optional(),
  })
  .refine((t) => t.unlimited || (t.requests >= 1 && t.burst >= 1), "A limited tier needs requests and burst of at least 1.");
export type Tier = z.infer<typeof tierSchema>;

/**
 * A public signing key of the key manager. Private members are refused: a snapshot travels to
 * every gateway and sits on their disks.
 */
export const publicJwkSchema = z
  .looseObject({
    kty: z.enum(["EC", "RSA"]),
    kid: z.string().min(1),
    alg: z.enum(["ES256", "RS256"]),
    use: z.literal("sig").optional(),
  })
  .refine((k) => !["d", "p", "q", "dp", "dq", "qi", "k"].some((m) => m in k), "A JWKS must hold public keys only.")
  .refine((k) => (k.alg === "ES256" ? k.kty === "EC" && k.crv === "P-256" : k.kty === "RSA"), "The key type must match alg.");
export type PublicJwk = z.infer<typeof publicJwkSchema>;

/**
 * An external OpenID provider whose access tokens gateways accept. Gateways fetch its JWKS
 * themselves (cached, fetched again only for an unknown `kid`), check `iss` and `aud`, and find
 * the application by the client id claim in `externalClients`.
 */
export const snapshotKeyManagerSchema = z.object({
  id,
  issuer: z.string().min(1).max(500),
  jwksUri: httpUrl,
  audiences: z.array(z.string().min(1)).min(1).max(10),
  clientIdClaim: z.string().min(1).max(100),
});
export type SnapshotKeyManager = z.infer<typeof snapshotKeyManagerSchema>;

/** A client at an external key manager, and the application it acts for. */
export const externalClientSchema = z.object({
  keyManagerId: id,
  clientId: z.string().min(1).max(500),
  applicationId: id,
  keyType,
});
export type ExternalClient = z.infer<typeof externalClientSchema>;

export const snapshotSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    /** Opaque, changes whenever anything below changes; also the ETag. */
    version: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21\x23-\x7e]+$/, "A version is visible ASCII without quotes."),
    generatedAt: isoTime,
    environment: z.object({ name: z.string().min(1), region: z.string().nullable() }),
    /** Expected `iss` and `aud` of access tokens. */
    issuer: z.string().min(1),
    audience: z.string().min(1),
    /** The key manager's public keys (`/oauth2/jwks`), current and recently rotated out. */
    jwks: z.object({ keys: z.array(publicJwkSchema) }),
    /** APIs deployed to this environment, each at its deployed revision. */
    apis: z.array(snapshotApiSchema),
    subscriptions: z.array(subscriptionSchema),
    apiKeys: z.array(apiKeySchema),
    /** Revoked tokens until they expire; the control plane drops entries past `expiresAt`. */
    revokedTokenIds: z.array(z.object({ jti: z.string().min(1), expiresAt: isoTime })),
    tiers: z.array(tierSchema),
    /** Application id → limit over all of that application's calls in this environment. */
    applicationPolicies: z.record(z.string(), rateLimitSchema),
    /** External key managers some API here accepts; optional so that older snapshots still parse. */
    keyManagers: z.array(snapshotKeyManagerSchema).optional(),
    externalClients: z.array(externalClientSchema).optional(),
  })
  .superRefine((s, ctx) => {
    const fail = (message: string, path: (string | number)[]) => ctx.addIssue({ code: "custom", message, path });
    const routes = new Set<string>();
    const defaults = new Set<string>();
    const apiIds = new Set<string>();
    s.apis.forEach((api, i) => {
      if (apiIds.has(api.id)) fail(`Duplicate API id ${api.id}.`, ["apis", i, "id"]);
      apiIds.add(api.id);
      const route = `${api.context} ${api.version}`;
      if (routes.has(route)) fail(`Two APIs at ${api.context}/${api.version}.`, ["apis", i, "version"]);
      routes.add(route);
      if (api.isDefaultVersion) {
        if (defaults.has(api.context)) fail(`Two default versions of ${api.context}.`, ["apis", i, "isDefaultVersion"]);
        defaults.add(api.context);
      }
      const ops = new Set<string>();
      api.operations.forEach((op, j) => {
        const key = `${op.method} ${op.path}`;
        if (ops.has(key)) fail(`Duplicate operation ${key}.`, ["apis", i, "operations", j]);
        ops.add(key);
      });
    });
    const tiers = new Set(s.tiers.map((t) => t.name));
    s.subscriptions.forEach((sub, i) => {
      if (!tiers.has(sub.tier)) fail(`Unknown tier ${sub.tier}.`, ["subscriptions", i, "tier"]);
    });
    const kmIds = new Set((s.keyManagers ?? []).map((k) => k.id));
    const issuers = new Set<string>([s.issuer]);
    (s.keyManagers ?? []).forEach((k, i) => {
      if (issuers.has(k.issuer)) fail(`Two key managers with the issuer ${k.issuer}.`, ["keyManagers", i, "issuer"]);
      issuers.add(k.issuer);
    });
    s.apis.forEach((api, i) =>
      (api.keyManagers ?? []).forEach((k, j) => {
        if (k !== "builtin" && !kmIds.has(k)) fail(`Unknown key manager ${k}.`, ["apis", i, "keyManagers", j]);
      }),
    );
    (s.externalClients ?? []).forEach((c, i) => {
      if (!kmIds.has(c.keyManagerId)) fail(`Unknown key manager ${c.keyManagerId}.`, ["externalClients", i, "keyManagerId"]);
    });
    const kids = new Set<string>();
    s.jwks.keys.forEach((k, i) => {
      if (kids.has(k.kid)) fail(`Duplicate kid ${k.kid}.`, ["jwks", "keys", i, "kid"]);
      kids.add(k.kid);
    });
  });
export type Snapshot = z.infer<typeof snapshotSchema>;

/** `POST /api/gateway/v1/heartbeat`, every 10 s per gateway instance. Answer: any 2xx. */
export const heartbeatSchema = z.object({
  /** Unique per replica; stable across restarts of the same replica. */
  instanceId: id,
  region: z.string().nullable(),
  /** The snapshot version it serves; null before it has one. */
  appliedVersion: z.string().nullable(),
  /** When it applied that version (older gateways do not say). */
  appliedAt: isoTime.nullable().optional(),
  startedAt: isoTime,
  /**
   * Why the instance serves an older version than it was given: the last snapshot it could not
   * apply (an agent's gateway refused the configuration it compiled). Null once one applies.
   */
  lastError: z
    .object({ version: z.string().max(200).nullable(), message: z.string().max(2000), at: isoTime })
    .nullable()
    .optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** One request that matched an API (requests matching none are counted in metrics only). */
export const analyticsEventSchema = z.object({
  /** Unique per event. */
  id: z.uuid(),
  /** When the request arrived. */
  time: isoTime,
  environment: z.string().min(1),
  instanceId: id,
  region: z.string().nullable(),
  apiId: id,
  /** `METHOD /template` of the matched operation; null when none matched (404, 405). */
  operation: z.string().nullable(),
  /** Null when the request carried no valid credential or the operation is open. */
  applicationId: z.string().nullable(),
  keyType: keyType.nullable(),
  method: z.string().min(1),
  /** The request path without the query string (queries may carry secrets). */
  path: z.string(),
  /** Status sent to the client; 499 when the client went away first. */
  status: z.number().int().min(100).max(599),
  /** From arrival to the end of the response. */
  latencyMs: z.number().min(0),
  /** From sending upstream to the upstream's response headers; null when not proxied. */
  upstreamLatencyMs: z.number().min(0).nullable(),
  requestBytes: z.number().int().min(0),
  responseBytes: z.number().int().min(0),
  /** The gateway's reason when it answered itself (`invalid_token`, `rate_limited`, …). */
  errorCode: z.string().optional(),
});
export type AnalyticsEvent = z.infer<typeof analyticsEventSchema>;

export const MAX_EVENTS_PER_BATCH = 1000;
/** The compact form carries more: its events are about a tenth of the size. */
export const MAX_COMPACT_EVENTS_PER_BATCH = 10_000;

/**
 * `POST /api/gateway/v1/events`. The control plane stores a batch id once: a batch sent again
 * (after a lost answer or a restart) must get a 2xx and be ignored. The gateway deletes a
 * batch only after a 2xx, retries on 401/403/408/429/5xx and network errors, and sets aside
 * batches answered with another 4xx (they can never succeed).
 */
export const analyticsBatchSchema = z.object({
  batchId: z.uuid(),
  events: z.array(analyticsEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type AnalyticsBatch = z.infer<typeof analyticsBatchSchema>;

/** The members that all events of one operation, caller and method share: sent once per batch in the compact form. */
export const analyticsEventGroupSchema = analyticsEventSchema.pick({
  environment: true,
  instanceId: true,
  region: true,
  apiId: true,
  operation: true,
  applicationId: true,
  keyType: true,
  method: true,
});
export type AnalyticsEventGroup = z.infer<typeof analyticsEventGroupSchema>;

/** How far an event of a compact batch may lie from the batch's `start`, either way (a day). */
export const COMPACT_MAX_OFFSET_MS = 86_400_000;

/**
 * One event of a compact batch: `[group, offsetMs, path, status, latencyMs, upstreamLatencyMs,
 * requestBytes, responseBytes]`, then `errorCode` when there is one. `group` indexes the
 * batch's `groups`; `offsetMs` is the arrival time in ms from the batch's `start` (negative for
 * a request that arrived before it; at most a day either way).
 */
export const compactAnalyticsEventSchema = z
  .tuple(
    [
      z.int().min(0),
      z.int().min(-COMPACT_MAX_OFFSET_MS).max(COMPACT_MAX_OFFSET_MS),
      analyticsEventSchema.shape.path,
      analyticsEventSchema.shape.status,
      analyticsEventSchema.shape.latencyMs,
      analyticsEventSchema.shape.upstreamLatencyMs,
      analyticsEventSchema.shape.requestBytes,
      analyticsEventSchema.shape.responseBytes,
    ],
    z.string(),
  )
  .refine((e) => e.length <= 9, "An event has at most 9 members (the last one the error code).");

/**
 * The compact form of a batch (`format: 2`), what the built-in gateway sends: the members that
 * events share are written once per batch in `groups`, each event is a short array, and event
 * ids are derived from the batch id. About a tenth of the bytes of the full form for typical
 * traffic, which the gateway writes and the control plane reads per request. The full form
 * (`analyticsBatchSchema`) stays accepted.
 */
export const compactAnalyticsBatchSchema = z
  .object({
    batchId: z.uuid(),
    format: z.literal(2),
    start: isoTime,
    groups: z.array(analyticsEventGroupSchema).min(1).max(MAX_COMPACT_EVENTS_PER_BATCH),
    events: z.array(compactAnalyticsEventSchema).min(1).max(MAX_COMPACT_EVENTS_PER_BATCH),
  })
  .superRefine((batch, ctx) => {
    const i = batch.events.findIndex((e) => e[0] >= batch.groups.length);
    if (i >= 0)
      ctx.addIssue({
        code: "custom",
        path: ["events", i, 0],
        message: `Event ${i} names group ${batch.events[i][0]}, but the batch has ${batch.groups.length}.`,
      });
  });
export type CompactAnalyticsBatch = z.infer<typeof compactAnalyticsBatchSchema>;

/** What `POST /api/gateway/v1/events` accepts: either form, told apart by `format` (so that errors name the form meant). */
export function analyticsBatchSchemaOf(input: unknown): typeof compactAnalyticsBatchSchema | typeof analyticsBatchSchema {
  return typeof input === "object" && input !== null && "format" in input ? compactAnalyticsBatchSchema : analyticsBatchSchema;
}

/** Validates a batch of either form and returns it in the full form; throws the schema's error. */
export function parseAnalyticsBatch(input: unknown): AnalyticsBatch {
  return expandAnalyticsBatch(analyticsBatchSchemaOf(input).parse(input));
}

/**
 * A batch in its full form. The events of a compact batch get ids made of the batch id's first
 * 80 bits and its last 48 plus the event's position, so a batch delivered again yields the same
 * ids, and ids of different batches differ as their batch ids do.
 */
export function expandAnalyticsBatch(batch: AnalyticsBatch | CompactAnalyticsBatch): AnalyticsBatch {
  if (!("format" in batch)) return batch;
  const start = Date.parse(batch.start);
  const head = batch.batchId.slice(0, 24);
  const tail = parseInt(batch.batchId.slice(24), 16);
  const events = batch.events.map(
    ([group, offsetMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode], i): AnalyticsEvent => {
      const event: AnalyticsEvent = {
        id: head + ((tail + i) % 2 ** 48).toString(16).padStart(12, "0"),
        time: new Date(start + offsetMs).toISOString(),
        ...batch.groups[group],
        path,
        status,
        latencyMs,
        upstreamLatencyMs,
        requestBytes,
        responseBytes,
      };
      if (errorCode !== undefined) event.errorCode = errorCode;
      return event;
    },
  );
  return { batchId: batch.batchId, events };
}
