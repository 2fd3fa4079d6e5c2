import { eq } from "drizzle-orm";
import { config as appConfig } from "@/lib/config";
import type { ConnectorType, DeploymentInput, DeploymentTier } from "@/lib/connectors/types";
import { getDescriptor } from "@/lib/connectors/registry";
import type { DbOrTx } from "@/lib/db/client";
import { apiRevisions, apis, type ApiRevisionRow, type Environment } from "@/lib/db/schema";
import { offeredTiers } from "@/lib/domain/tiers/offered-tiers";
import { AppError } from "@/lib/errors";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { listTierRows } from "@/lib/services/tiers/list-tiers";
import { keyManagerInfosFor } from "@/lib/services/key-managers/deployment-key-managers";

/** Pull gateways (built-in, agents) take a deployment from their next snapshot; the rest are pushed by a job. */
export const PULL_TYPES = new Set<string>(["builtin", "agent"]);
export const isPullType = (type: string) => PULL_TYPES.has(type);

/** The backend a revision proxies to in one environment: its override there, else the production endpoint. */
export function endpointFor(revision: Pick<ApiRevisionRow, "settings">, environmentName: string): string | null {
  const e = revision.settings.endpoints;
  return e.overrides?.[environmentName]?.production ?? e.production ?? null;
}

/** The tiers a revision offers (every tier when its allowed tiers are empty), as connectors write them (usage plans, products). */
export async function tiersFor(db: DbOrTx, allowed: string[]): Promise<DeploymentTier[]> {
  const rows = offeredTiers(allowed, await listTierRows("subscription", db));
  return rows.map((t) => ({
    name: t.name,
    displayName: t.displayName,
    requests: t.unlimited ? null : t.requests,
    unit: t.unlimited ? null : (t.unit as DeploymentTier["unit"]),
    burst: t.unlimited ? null : t.burst,
    monthlyQuota: t.monthlyQuota,
    unlimited: t.unlimited,
  }));
}

/** Everything a connector needs to translate one revision for one environment; secrets decrypted. */
export async function buildDeploymentInput(
  db: DbOrTx,
  env: Environment,
  revision: ApiRevisionRow,
  idempotencyKey: string,
): Promise<DeploymentInput> {
  // A plan of an API that does not exist yet (a project file's new API) names it by a planned id.
  const [api] = revision.apiId.startsWith("planned:")
    ? [{ id: revision.apiId }]
    : await db.select({ id: apis.id }).from(apis).where(eq(apis.id, revision.apiId)).limit(1);
  if (!api) throw new AppError("not_found", "The API of this deployment no longer exists.");
  const endpoint = endpointFor(revision, env.name);
  if (!endpoint)
    throw new AppError(
      "validation_failed",
      `Revision ${revision.number} has no production endpoint for ${env.name}: set one and create a new revision.`,
    );
  const s = revision.settings;
  const issuer = appConfig.tokenIssuer;
  const keyManager = {
    id: "builtin",
    issuer,
    audience: appConfig.tokenAudience,
    jwksUri: `${issuer}/oauth2/jwks`,
    openidConfigurationUrl: `${issuer}/.well-known/openid-configuration`,
  };
  return {
    config: decryptConfig(getDescriptor(env.type as ConnectorType), env.config),
    environment: { name: env.name, region: env.region, publicUrls: env.publicUrls },
    api: { id: api.id, name: s.name, version: s.version, context: s.context, description: s.description },
    revision: { id: revision.id, number: revision.number, definition: revision.definition, settings: s },
    endpoint,
    tiers: await tiersFor(db, s.allowedTiers),
    keyManager,
    keyManagers: await keyManagerInfosFor(db, api.id, env.id, keyManager),
    idempotencyKey,
  };
}

export async function loadRevision(db: DbOrTx, revisionId: string): Promise<ApiRevisionRow> {
  const [revision] = await db.select().from(apiRevisions).where(eq(apiRevisions.id, revisionId)).limit(1);
  if (!revision) throw new AppError("not_found", "The revision of this deployment no longer exists.");
  return revision;
}
