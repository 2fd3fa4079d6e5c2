import { and, eq, gt, isNotNull, isNull, or } from "drizzle-orm";
import { getConnector, getDescriptor } from "@/lib/connectors/registry";
import { decryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { apiKeys, apiRevisions, applications, deployments, environments, oauthClients, remoteKeys, subscriptions } from "@/lib/db/schema";
import { newId } from "@/lib/id";
import type { JobHandler } from "@/lib/jobs/runner";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { activeSigningKeyPem } from "@/lib/services/keys/signing-keys";
import { previousRefOf } from "./run-deploy-job";

/**
 * Reconciles the keys a push gateway holds for one deployment with what Meridian says: every
 * production API key of every application with an active subscription to the API is installed
 * (in its tier's usage plan or product); keys of blocked or removed subscriptions, revoked or
 * expired keys, and keys whose tier changed are removed. Gateways that check Meridian's tokens
 * with a credential per application (Kong's jwt_secret) get one per subscribed application of
 * an OAuth2 API, holding the key manager's current public key: remembered under the key's kid,
 * so that a rotation replaces every one of them. For OAuth2 APIs on gateways that list who may
 * call (Envoy Gateway), the production client ids of the subscribed applications are set. Safe
 * to run any number of times.
 */
export const keySyncJobHandler: JobHandler = {
  async run(ctx) {
    const { deploymentId } = ctx.job.payload as { deploymentId: string };
    const db = await getDb();
    const [row] = await db
      .select({ d: deployments, env: environments, security: apiRevisions.settings })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .leftJoin(apiRevisions, eq(apiRevisions.id, deployments.deployedRevisionId))
      .where(eq(deployments.id, deploymentId))
      .limit(1);
    if (!row) return { skipped: "deployment gone" };
    const connector = getConnector(row.env.type);
    const ref = previousRefOf(row.d.reference, row.env.type);
    if (!ref || !connector.provisionKey || !connector.revokeKey || row.d.status !== "deployed") return { skipped: "nothing deployed" };
    const config = decryptConfig(getDescriptor(row.env.type), row.env.config);
    const usesKeys = row.security?.security.scheme === "apiKey";

    const wanted = usesKeys
      ? await db
          .select({
            subscriptionId: subscriptions.id,
            tier: subscriptions.tier,
            applicationId: applications.id,
            applicationName: applications.name,
            keyId: apiKeys.id,
            secret: apiKeys.secretEncrypted,
            keyType: apiKeys.keyType,
          })
          .from(subscriptions)
          .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
          .innerJoin(apiKeys, eq(apiKeys.applicationId, applications.id))
          .where(
            and(
              eq(subscriptions.apiId, row.d.apiId),
              eq(subscriptions.status, "active"),
              eq(apiKeys.keyType, "production"),
              isNull(apiKeys.revokedAt),
              isNotNull(apiKeys.secretEncrypted),
              or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
            ),
          )
          .limit(5000)
      : [];
    const settings = row.security;
    const usesJwt =
      !!connector.descriptor.capabilities.jwtCredentials &&
      !!settings &&
      (settings.security.scheme === "oauth2" || Object.values(settings.operationPolicies).some((p) => p.security === "oauth2"));
    type Wanted = (typeof wanted)[number] & { kind?: "jwt"; clientId?: string; value?: string };
    const all: Wanted[] = [...wanted];
    if (usesJwt) {
      const signing = await activeSigningKeyPem();
      const clients = await db
        .select({
          subscriptionId: subscriptions.id,
          tier: subscriptions.tier,
          applicationId: applications.id,
          applicationName: applications.name,
          clientId: oauthClients.clientId,
        })
        .from(subscriptions)
        .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
        .innerJoin(oauthClients, and(eq(oauthClients.applicationId, applications.id), eq(oauthClients.keyType, "production")))
        .where(and(eq(subscriptions.apiId, row.d.apiId), eq(subscriptions.status, "active")))
        .limit(5000);
      for (const c of clients)
        all.push({ ...c, keyId: `jwt:${signing.kid}`, secret: null, keyType: "production", kind: "jwt", value: signing.pem });
    }
    const have = await db.select().from(remoteKeys).where(eq(remoteKeys.deploymentId, deploymentId));
    const keyOf = (subscriptionId: string, apiKeyId: string) => `${subscriptionId}/${apiKeyId}`;
    const wantedByKey = new Map(all.map((w) => [keyOf(w.subscriptionId, w.keyId), w]));
    let removed = 0;
    let added = 0;
    for (const h of have) {
      const w = wantedByKey.get(keyOf(h.subscriptionId, h.apiKeyId));
      if (w && w.tier === h.tier) continue;
      await connector.revokeKey(config, ref, h.remoteIds, { signal: ctx.signal });
      await db.delete(remoteKeys).where(eq(remoteKeys.id, h.id));
      removed++;
    }
    const kept = new Set(
      have
        .filter((h) => wantedByKey.get(keyOf(h.subscriptionId, h.apiKeyId))?.tier === h.tier)
        .map((h) => keyOf(h.subscriptionId, h.apiKeyId)),
    );
    for (const w of all) {
      if (kept.has(keyOf(w.subscriptionId, w.keyId))) continue;
      const remoteIds = await connector.provisionKey({
        config,
        ref,
        subscription: { id: w.subscriptionId, applicationId: w.applicationId, applicationName: w.applicationName, tier: w.tier },
        key:
          w.kind === "jwt"
            ? { id: w.keyId, value: w.value!, keyType: w.keyType, kind: "jwt", clientId: w.clientId }
            : { id: w.keyId, value: decryptSecret(w.secret!), keyType: w.keyType },
        idempotencyKey: `${deploymentId}:${w.subscriptionId}:${w.keyId}`,
        signal: ctx.signal,
      });
      await db
        .insert(remoteKeys)
        .values({ id: newId("rky"), deploymentId, subscriptionId: w.subscriptionId, apiKeyId: w.keyId, tier: w.tier, remoteIds })
        .onConflictDoUpdate({
          target: [remoteKeys.deploymentId, remoteKeys.subscriptionId, remoteKeys.apiKeyId],
          set: { tier: w.tier, remoteIds },
        });
      added++;
    }
    if (added || removed) await ctx.step("Keys synchronised", `${added} installed, ${removed} removed on ${row.env.name}`);
    let clients: number | undefined;
    if (connector.syncClients && row.security?.security.scheme === "oauth2") {
      const rows = await db
        .selectDistinct({ clientId: oauthClients.clientId })
        .from(subscriptions)
        .innerJoin(oauthClients, eq(oauthClients.applicationId, subscriptions.applicationId))
        .where(and(eq(subscriptions.apiId, row.d.apiId), eq(subscriptions.status, "active"), eq(oauthClients.keyType, "production")))
        .orderBy(oauthClients.clientId)
        .limit(5000);
      await connector.syncClients(
        config,
        ref,
        rows.map((r) => r.clientId),
        { signal: ctx.signal },
      );
      clients = rows.length;
      await ctx.step("Subscribed clients synchronised", `${clients} client id(s) allowed on ${row.env.name}`);
    }
    return { added, removed, total: all.length, ...(clients !== undefined ? { clients } : {}) };
  },
};
