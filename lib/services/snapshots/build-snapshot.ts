import { and, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import {
  apiKeys,
  apiRevisions,
  apis,
  applications,
  deployments,
  environments,
  rateLimitPolicies,
  revokedTokens,
  subscriptions,
} from "@/lib/db/schema";
import type { ApiSettingsSnapshot } from "@/lib/db/schema";
import { SNAPSHOT_FORMAT, snapshotSchema, type Security, type Snapshot, type SnapshotApi } from "@/lib/domain/gateway/snapshot";
import { extractOperations, operationKey } from "@/lib/domain/openapi/operations";
import { enforcedScopes } from "@/lib/domain/openapi/scopes";
import type { JsonObject } from "@/lib/domain/openapi/types";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getJwks } from "@/lib/services/keys/signing-keys";
import { trustedKeyManagers } from "@/lib/services/key-managers/snapshot-key-managers";

const GATEWAY_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

function securityOf(scheme: string | null | undefined): Security {
  return scheme === "oauth2" ? ["oauth2"] : scheme === "apiKey" ? ["apiKey"] : [];
}

type SnapshotOperation = SnapshotApi["operations"][number];

/** Revisions never change: their gateway operations are worked out once per process. */
const OPERATIONS_CACHED = 20_000;
const operationsByRevision = new Map<string, SnapshotOperation[]>();

function snapshotOperations(definition: Record<string, unknown>, s: ApiSettingsSnapshot): SnapshotOperation[] {
  const policies = s.operationPolicies ?? {};
  return extractOperations(definition as JsonObject)
    .map((op) => ({ ...op, method: op.method.toUpperCase() }))
    .filter((op) => GATEWAY_METHODS.has(op.method))
    .map((op) => {
      const key = operationKey(op);
      const policy = policies[key];
      const scopes = enforcedScopes({ security: s.security, operationPolicies: policies }, key);
      return {
        method: op.method as SnapshotOperation["method"],
        path: op.path,
        ...(policy?.security ? { security: securityOf(policy.security) } : {}),
        ...(policy?.rateLimit ? { rateLimit: policy.rateLimit } : {}),
        ...(scopes.length ? { scopes } : {}),
      };
    });
}

function remember(revisionId: string, operations: SnapshotOperation[]): void {
  if (operationsByRevision.size >= OPERATIONS_CACHED) operationsByRevision.delete(operationsByRevision.keys().next().value!);
  operationsByRevision.set(revisionId, operations);
}

function toSnapshotApi(
  env: { name: string },
  api: { id: string; lifecycleState: string; createdAt: Date },
  revision: { id: string; settings: ApiSettingsSnapshot },
  operations: SnapshotOperation[],
  isDefaultVersion: boolean,
): SnapshotApi {
  const s = revision.settings;
  const override = s.endpoints.overrides?.[env.name];
  return {
    id: api.id,
    name: s.name,
    context: s.context,
    version: s.version,
    isDefaultVersion,
    lifecycleState: api.lifecycleState as SnapshotApi["lifecycleState"],
    revisionId: revision.id,
    upstream: {
      production: (override?.production ?? s.endpoints.production)!,
      sandbox: override?.sandbox ?? s.endpoints.sandbox ?? null,
    },
    security: securityOf(s.security?.scheme),
    operations,
    ...(s.rateLimit ? { rateLimit: s.rateLimit } : {}),
    ...(s.cors?.enabled
      ? {
          cors: {
            enabled: true,
            origins: s.cors.origins.length ? s.cors.origins : ["*"],
            methods: (s.cors.methods.length ? s.cors.methods : ["GET", "POST", "PUT", "PATCH", "DELETE"])
              .map((m) => m.toUpperCase())
              .filter((m) => GATEWAY_METHODS.has(m)) as SnapshotApi["operations"][number]["method"][],
            headers: s.cors.headers.length ? s.cors.headers : ["authorization", "content-type", "apikey"],
            credentials: s.cors.credentials,
            maxAge: 600,
          },
        }
      : {}),
  };
}

/**
 * Everything one environment's gateways must know, at its current version: the deployed APIs
 * at their deployed revisions, who may call them, the keys and revocations, the tiers. The
 * result is validated with the same schema the gateway uses, so a bad snapshot fails here.
 */
export async function buildSnapshot(environmentId: string, now = new Date()): Promise<Snapshot> {
  const db = await getDb();
  const [env] = await db.select().from(environments).where(eq(environments.id, environmentId)).limit(1);
  if (!env) throw new AppError("not_found", "No such environment.");
  const rows = await db
    // Only what the snapshot uses; documents are read only for revisions not seen before.
    .select({
      api: { id: apis.id, lifecycleState: apis.lifecycleState, createdAt: apis.createdAt },
      revision: { id: apiRevisions.id, settings: apiRevisions.settings },
    })
    .from(deployments)
    .innerJoin(apis, eq(apis.id, deployments.apiId))
    .innerJoin(apiRevisions, eq(apiRevisions.id, deployments.revisionId))
    .where(and(eq(deployments.environmentId, env.id), eq(deployments.status, "deployed"), ne(apis.lifecycleState, "RETIRED")));

  // The default version of a context is the newest API version deployed here.
  const newestByContext = new Map<string, { id: string; createdAt: Date }>();
  for (const { api, revision } of rows) {
    const ctx = revision.settings.context;
    const current = newestByContext.get(ctx);
    if (!current || api.createdAt > current.createdAt) newestByContext.set(ctx, { id: api.id, createdAt: api.createdAt });
  }
  const unseen = rows.filter(({ revision }) => !operationsByRevision.has(revision.id));
  for (let i = 0; i < unseen.length; i += 500) {
    const batch = unseen.slice(i, i + 500).map(({ revision }) => revision);
    const documents = await db
      .select({ id: apiRevisions.id, definition: apiRevisions.definition })
      .from(apiRevisions)
      .where(
        inArray(
          apiRevisions.id,
          batch.map((r) => r.id),
        ),
      );
    const settingsOf = new Map(batch.map((r) => [r.id, r.settings]));
    for (const d of documents) remember(d.id, snapshotOperations(d.definition, settingsOf.get(d.id)!));
  }
  const snapshotApis = rows.map(({ api, revision }) =>
    toSnapshotApi(
      env,
      api,
      revision,
      operationsByRevision.get(revision.id) ?? [],
      newestByContext.get(revision.settings.context)?.id === api.id,
    ),
  );
  const apiIds = snapshotApis.map((a) => a.id);
  const trust = await trustedKeyManagers(db, apiIds, env.id);
  for (const api of snapshotApis) {
    const accepted = trust.accepted.get(api.id);
    if (accepted && !(accepted.length === 1 && accepted[0] === "builtin")) api.keyManagers = accepted;
  }

  const subs = apiIds.length
    ? await db
        .select({
          id: subscriptions.id,
          applicationId: subscriptions.applicationId,
          apiId: subscriptions.apiId,
          tier: subscriptions.tier,
          status: subscriptions.status,
          policy: applications.policy,
        })
        .from(subscriptions)
        .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
        .where(and(inArray(subscriptions.apiId, apiIds), inArray(subscriptions.status, ["active", "blocked", "pending"])))
    : [];
  const appIds = [...new Set(subs.map((s) => s.applicationId))];
  const keys = appIds.length
    ? await db
        .select({ hash: apiKeys.hash, applicationId: apiKeys.applicationId, keyType: apiKeys.keyType, expiresAt: apiKeys.expiresAt })
        .from(apiKeys)
        .where(
          and(inArray(apiKeys.applicationId, appIds), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))),
        )
    : [];
  const revoked = await db.select().from(revokedTokens).where(gt(revokedTokens.expiresAt, now));
  const policies = await db.select().from(rateLimitPolicies);
  const tierRows = policies.filter((p) => p.kind === "subscription");
  const appPolicies = new Map(
    policies.filter((p) => p.kind === "application" && !p.unlimited && p.requests && p.unit).map((p) => [p.name, p]),
  );

  const applicationPolicies: Snapshot["applicationPolicies"] = {};
  for (const s of subs) {
    const p = s.policy ? appPolicies.get(s.policy) : undefined;
    if (p) applicationPolicies[s.applicationId] = { requests: p.requests!, unit: p.unit as "minute", burst: p.burst ?? p.requests! };
  }
  const tierNames = new Set(tierRows.map((t) => t.name));

  const snapshot = {
    format: SNAPSHOT_FORMAT,
    version: String(env.snapshotVersion),
    generatedAt: now.toISOString(),
    environment: { name: env.name, region: env.region || null },
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    jwks: (await getJwks(now)) as Snapshot["jwks"],
    apis: snapshotApis,
    // A subscription on a tier that was deleted since would make the whole snapshot invalid.
    subscriptions: subs.filter((s) => tierNames.has(s.tier)).map(({ policy: _policy, ...s }) => s as Snapshot["subscriptions"][number]),
    apiKeys: keys.map((k) => ({
      hash: k.hash,
      applicationId: k.applicationId,
      keyType: k.keyType,
      expiresAt: k.expiresAt?.toISOString() ?? null,
    })),
    revokedTokenIds: revoked.map((r) => ({ jti: r.jti, expiresAt: r.expiresAt.toISOString() })),
    tiers: tierRows.map((t) => ({
      name: t.name,
      requests: t.requests ?? 0,
      unit: (t.unit ?? "minute") as "minute",
      burst: t.burst ?? t.requests ?? 0,
      unlimited: t.unlimited,
      monthlyQuota: t.monthlyQuota && t.monthlyQuota > 0 ? t.monthlyQuota : null,
    })),
    applicationPolicies,
    // Always present, empty or not: a delta carries only members the new snapshot has, so a
    // member left out would keep the gateway trusting the issuers of the snapshot before.
    keyManagers: trust.keyManagers,
    externalClients: trust.externalClients,
  };
  const parsed = snapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    logger.error({ environment: env.name, issues: parsed.error.issues.slice(0, 5) }, "snapshot failed validation");
    throw new AppError("internal_error", `The snapshot of ${env.name} is not valid: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}
