import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { apiDocuments, apis, deployments, environments, type ApiRow } from "@/lib/db/schema";
import { offeredTiers } from "@/lib/domain/tiers/offered-tiers";
import { AppError } from "@/lib/errors";
import type { Actor, ServiceContext } from "@/lib/services/context";
import { MAX_DOCUMENTS_PER_API } from "@/lib/services/apis/list-documents";
import { toApiDocument, type ApiDocument } from "@/lib/services/apis/document-dto";
import { listTierRows } from "@/lib/services/tiers/list-tiers";
import { describeLimits } from "@/lib/services/tiers/tier-dto";
import { gatewayUrls, toCatalogItem, type CatalogApiDetail, type CatalogTier, type GatewayEndpoint } from "./catalog-dto";
import { canSeeCatalogApi, canSeeEnvironment } from "./visibility";

/** An API of the catalog; one the caller may not see is "not found", so ids reveal nothing. */
export async function loadCatalogApiOrThrow(db: DbOrTx, id: string, actor: Actor | null): Promise<ApiRow> {
  const [api] = await db.select().from(apis).where(eq(apis.id, id)).limit(1);
  if (!api || !canSeeCatalogApi(actor, api)) throw new AppError("not_found", "No such API in the catalog.");
  return api;
}

/** Where APIs are deployed (status deployed), on the environments the caller may see, by API id. */
export async function listGatewayEndpointsByApi(
  db: DbOrTx,
  list: Array<Pick<ApiRow, "id" | "context" | "version">>,
  actor: Actor | null,
): Promise<Map<string, GatewayEndpoint[]>> {
  const out = new Map<string, GatewayEndpoint[]>(list.map((a) => [a.id, []]));
  if (list.length === 0) return out;
  const rows = await db
    .select({
      apiId: deployments.apiId,
      name: environments.name,
      displayName: environments.displayName,
      region: environments.region,
      type: environments.type,
      publicUrls: environments.publicUrls,
      visibleRoles: environments.visibleRoles,
      reference: deployments.reference,
    })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(
      and(
        inArray(
          deployments.apiId,
          list.map((a) => a.id),
        ),
        eq(deployments.status, "deployed"),
      ),
    )
    .orderBy(asc(environments.displayName));
  const byId = new Map(list.map((a) => [a.id, a]));
  for (const env of rows) {
    const api = byId.get(env.apiId)!;
    if (!canSeeEnvironment(actor, env)) continue;
    // Push gateways name their own address (AWS invoke URL, Azure gateway URL); pull gateways serve under the environment's URLs.
    const invokeUrl = typeof env.reference?.invokeUrl === "string" ? env.reference.invokeUrl : null;
    out.get(api.id)!.push({
      environment: env.name,
      displayName: env.displayName,
      region: env.region,
      type: env.type,
      urls: invokeUrl ? [invokeUrl] : gatewayUrls(env.publicUrls, api.context, api.version),
    });
  }
  return out;
}

export async function listGatewayEndpoints(
  db: DbOrTx,
  api: Pick<ApiRow, "id" | "context" | "version">,
  actor: Actor | null,
): Promise<GatewayEndpoint[]> {
  return (await listGatewayEndpointsByApi(db, [api], actor)).get(api.id) ?? [];
}

/** The tiers the API offers (every tier when the publisher allowed none in particular), with the admin's descriptions. */
async function listOfferedTiers(db: DbOrTx, allowed: string[]): Promise<CatalogTier[]> {
  const rows = offeredTiers(allowed, await listTierRows("subscription", db));
  return rows.map((t) => ({ name: t.name, displayName: t.displayName, description: t.description, summary: describeLimits(t) }));
}

export async function getCatalogApi(id: string, ctx: ServiceContext): Promise<CatalogApiDetail> {
  const db = await getDb();
  const api = await loadCatalogApiOrThrow(db, id, ctx.actor);
  const [gateways, tiers] = await Promise.all([listGatewayEndpoints(db, api, ctx.actor), listOfferedTiers(db, api.allowedTiers)]);
  return {
    ...toCatalogItem(api),
    description: api.description,
    security: { scheme: api.security.scheme, apiKeyHeader: api.security.apiKeyHeader },
    cors: { enabled: api.cors.enabled, origins: api.cors.origins, headers: api.cors.headers },
    operations: api.operations.map((op) => ({
      method: op.method.toUpperCase(),
      path: op.path,
      summary: op.summary,
      deprecated: op.deprecated,
      security: op.security ?? api.security.scheme,
    })),
    gateways,
    tiers,
    subscribable: api.lifecycleState === "PUBLISHED",
  };
}

/** The API's documents, markdown rendered and sanitized. */
export async function listCatalogDocuments(id: string, ctx: ServiceContext): Promise<ApiDocument[]> {
  const db = await getDb();
  const api = await loadCatalogApiOrThrow(db, id, ctx.actor);
  const rows = await db
    .select()
    .from(apiDocuments)
    .where(eq(apiDocuments.apiId, api.id))
    .orderBy(asc(apiDocuments.title))
    .limit(MAX_DOCUMENTS_PER_API);
  return rows.map((r) => toApiDocument(r, { render: true }));
}

/**
 * The OpenAPI document as consumers call it: `servers` lists the gateway URLs (the backend's
 * address is never shown to consumers).
 */
export async function getCatalogDefinition(
  id: string,
  ctx: ServiceContext,
): Promise<{ document: Record<string, unknown>; fileName: string }> {
  const db = await getDb();
  const api = await loadCatalogApiOrThrow(db, id, ctx.actor);
  const gateways = await listGatewayEndpoints(db, api, ctx.actor);
  const servers = gateways.flatMap((g) =>
    g.urls.map((url) => ({ url, description: g.region ? `${g.displayName} (${g.region})` : g.displayName })),
  );
  const { openapi, info, servers: _backend, ...rest } = api.definition;
  const document = { openapi, info, ...(servers.length ? { servers } : {}), ...rest };
  const slug =
    `${api.name}-${api.version}`
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "api";
  return { document, fileName: `${slug}.openapi.json` };
}
