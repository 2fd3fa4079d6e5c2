import { asc, desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys, apis, oauthClients, subscriptions, type KeyType } from "@/lib/db/schema";
import type { ServiceContext } from "@/lib/services/context";
import { listGatewayEndpointsByApi } from "@/lib/services/catalog/get-catalog-api";
import { toSubscriptionView, type SubscriptionView } from "@/lib/services/subscriptions/subscription-dto";
import { toPublicApiKey, type PublicApiKey } from "./api-keys";
import { toApplicationView, type ApplicationView } from "./application-dto";
import { getOwnedApplicationOrThrow } from "./get-application";

export interface ClientCredentialView {
  keyType: KeyType;
  clientId: string;
  secretRotatedAt: string;
}

export interface ApplicationSubscriptionView extends SubscriptionView {
  /** A gateway URL of the API (the first environment it is deployed to), or null when deployed nowhere. */
  gatewayUrl: string | null;
  /** A path to try first: the API's first GET operation. */
  samplePath: string | null;
  apiSecurity: string;
}

export interface ApplicationDetail extends ApplicationView {
  /** OAuth2 clients per key type; secrets are never read back. */
  credentials: ClientCredentialView[];
  apiKeys: PublicApiKey[];
  subscriptions: ApplicationSubscriptionView[];
}

export async function getApplicationDetail(id: string, ctx: ServiceContext): Promise<ApplicationDetail> {
  const app = await getOwnedApplicationOrThrow(id, ctx);
  const db = await getDb();
  const [clients, keys, subs] = await Promise.all([
    db.select().from(oauthClients).where(eq(oauthClients.applicationId, app.id)).orderBy(asc(oauthClients.keyType)),
    db.select().from(apiKeys).where(eq(apiKeys.applicationId, app.id)).orderBy(desc(apiKeys.createdAt)).limit(200),
    db
      .select({
        sub: subscriptions,
        api: {
          id: apis.id,
          name: apis.name,
          version: apis.version,
          context: apis.context,
          lifecycleState: apis.lifecycleState,
          operations: apis.operations,
          security: apis.security,
        },
      })
      .from(subscriptions)
      .innerJoin(apis, eq(apis.id, subscriptions.apiId))
      .where(eq(subscriptions.applicationId, app.id))
      .orderBy(asc(apis.name), asc(apis.version))
      .limit(500),
  ]);
  const endpoints = await listGatewayEndpointsByApi(
    db,
    subs.map((s) => s.api),
    ctx.actor,
  );
  return {
    ...toApplicationView(app),
    credentials: clients.map((c) => ({ keyType: c.keyType, clientId: c.clientId, secretRotatedAt: c.secretRotatedAt.toISOString() })),
    apiKeys: keys.map(toPublicApiKey),
    subscriptions: subs.map(({ sub, api }) => {
      const sample = api.operations.find((o) => o.method === "get") ?? api.operations[0];
      return {
        ...toSubscriptionView({
          id: sub.id,
          applicationId: app.id,
          applicationName: app.name,
          apiId: api.id,
          apiName: api.name,
          apiVersion: api.version,
          apiContext: api.context,
          apiLifecycleState: api.lifecycleState,
          tier: sub.tier,
          status: sub.status,
          createdAt: sub.createdAt,
          decidedAt: sub.decidedAt,
        }),
        gatewayUrl: endpoints.get(api.id)?.[0]?.urls[0] ?? null,
        samplePath: sample?.path ?? null,
        apiSecurity: api.security.scheme,
      };
    }),
  };
}
