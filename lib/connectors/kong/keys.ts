import { ConnectorError, type ConnectorConfig, type DeploymentRef, type SubscriptionKeyInput } from "../types";
import { kongClient } from "./client";
import { kongConfigSchema } from "./descriptor";
import { aclGroup, apiTag, consumerFor, MERIDIAN_TAG, stableId } from "./entities";
import { tierPlugin } from "./translate";
import { apiIdOf } from "./undeploy";
import { assertOwned, kongWriter, refId, type Entity, type EntityType, type KongWriter } from "./writer";

/**
 * A subscriber on Kong: the application's consumer, its credential (a key-auth key, or a
 * jwt_secret keyed by its OAuth2 client id holding the key manager's public key), an ACL entry
 * in the API's group, and the tier's rate-limiting plugin on the consumer and the service.
 * Consumers and credentials are shared by every API of the environment: a credential carries
 * the tag of each API that uses it and goes when the last one lets it go.
 */

const API_TAG_PREFIX = "meridian-api:";
const tierPluginId = (apiId: string, consumerId: string) => stableId(`${apiId}|plugin|consumer|${consumerId}|rate-limiting`);

function credentialOf(input: SubscriptionKeyInput, consumerId: string): { type: EntityType; entity: Entity } {
  if (input.key.kind === "jwt") {
    const clientId = input.key.clientId;
    if (!clientId) throw new ConnectorError("invalid", "A jwt credential needs the application's OAuth2 client id.");
    return {
      type: "jwt_secrets",
      entity: {
        id: stableId(`jwt|${clientId}`),
        key: clientId,
        algorithm: "ES256",
        rsa_public_key: input.key.value,
        consumer: { id: consumerId },
      },
    };
  }
  return {
    type: "keyauth_credentials",
    entity: { id: stableId(`keyauth|${input.key.id}`), key: input.key.value, consumer: { id: consumerId } },
  };
}

const withTag = (tags: string[] | null | undefined, add: string[]) => [...new Set([...(tags ?? []), ...add])];

export async function provisionKeyOnKong(input: SubscriptionKeyInput): Promise<Record<string, string>> {
  const config = kongConfigSchema.parse(input.config);
  const w = kongWriter(kongClient(config, input.signal));
  const apiId = apiIdOf(input.ref);
  const serviceId = input.ref.ids.serviceId;
  const consumer = consumerFor(input.subscription.applicationId);

  const existing = await w.get("consumers", consumer.id);
  assertOwned(existing, `a consumer with Meridian's id for application ${input.subscription.applicationName}`);
  if (!existing) assertOwned(await w.get("consumers", consumer.username), `a consumer named ${consumer.username}`);
  await w.put("consumers", { ...consumer, tags: withTag(existing?.tags, consumer.tags) } as Entity);

  const cred = credentialOf(input, consumer.id);
  const current = await w.get(cred.type, cred.entity.id);
  assertOwned(current, `a credential with Meridian's id for application ${input.subscription.applicationName}`);
  await w.put(cred.type, {
    ...cred.entity,
    tags: withTag(current?.tags, [MERIDIAN_TAG, `meridian-app:${input.subscription.applicationId}`, apiTag(apiId)]),
  });

  const acl: Entity = {
    id: stableId(`acl|${input.subscription.applicationId}|${apiId}`),
    group: aclGroup(apiId),
    consumer: { id: consumer.id },
    tags: [MERIDIAN_TAG, apiTag(apiId)],
  };
  await w.put("acls", acl);

  const remote: Record<string, string> = {
    consumerId: consumer.id,
    credentialType: cred.type,
    credentialId: cred.entity.id,
    aclId: acl.id,
  };
  const limit = input.ref.ids[`tier:${input.subscription.tier}`];
  const pluginId = tierPluginId(apiId, consumer.id);
  if (limit && serviceId) {
    const plugin = tierPlugin(apiId, serviceId, consumer.id, input.subscription.tier, JSON.parse(limit) as Record<string, unknown>);
    await w.put("plugins", { ...plugin, id: pluginId } as unknown as Entity);
    remote.pluginId = pluginId;
  } else {
    const stale = await w.get("plugins", pluginId);
    if (stale) await w.del("plugins", stale);
  }
  await w.commit();
  return remote;
}

/** Lets one credential go for one API; the consumer's ACL entry and tier limit go when none of its credentials serve the API any more. */
export async function revokeKeyOnKong(
  raw: ConnectorConfig,
  ref: DeploymentRef,
  remoteIds: Record<string, string>,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const config = kongConfigSchema.parse(raw);
  const w = kongWriter(kongClient(config, options.signal));
  const apiId = apiIdOf(ref);
  const tag = apiTag(apiId);
  const type = remoteIds.credentialType as EntityType | undefined;
  if (type === "keyauth_credentials" || type === "jwt_secrets") {
    const cred = await w.get(type, remoteIds.credentialId);
    if (cred?.tags?.includes(MERIDIAN_TAG)) await releaseOne(w, type, cred, tag);
  }
  const consumerId = remoteIds.consumerId;
  const others = [...(await w.list("keyauth_credentials", tag)), ...(await w.list("jwt_secrets", tag))].filter(
    (c) => refId(c.consumer) === consumerId && c.id !== remoteIds.credentialId,
  );
  if (!others.length) {
    for (const [t, id] of [
      ["acls", remoteIds.aclId],
      ["plugins", remoteIds.pluginId ?? tierPluginId(apiId, consumerId)],
    ] as Array<[EntityType, string | undefined]>) {
      if (!id) continue;
      const e = await w.get(t, id);
      if (e?.tags?.includes(MERIDIAN_TAG)) await w.del(t, { ...e, consumer: e.consumer ?? { id: consumerId } });
    }
  }
  await w.commit();
}

async function releaseOne(w: KongWriter, type: EntityType, cred: Entity, tag: string) {
  const tags = (cred.tags ?? []).filter((t) => t !== tag);
  if (tags.some((t) => t.startsWith(API_TAG_PREFIX))) await w.put(type, { ...cred, tags });
  else await w.del(type, cred);
}

/** Every credential the API uses loses its tag; those no other API uses are deleted. */
export async function releaseCredentials(w: KongWriter, apiId: string): Promise<void> {
  const tag = apiTag(apiId);
  for (const type of ["keyauth_credentials", "jwt_secrets"] as const)
    for (const cred of await w.list(type, tag)) if (cred.tags?.includes(MERIDIAN_TAG)) await releaseOne(w, type, cred, tag);
}
