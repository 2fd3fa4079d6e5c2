import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlansCommand,
} from "@aws-sdk/client-api-gateway";
import { ConnectorError, type ConnectorConfig, type DeploymentRef, type SubscriptionKeyInput } from "../types";
import { isNotFound } from "./errors";
import { listAll } from "./paginate";
import { withAwsSession } from "./session";
import { usagePlanIdKey } from "./usage-plans";

/**
 * API Gateway treats two keys with one value as the same key, and an application's key serves
 * every API it subscribes to: so there is one API key per Meridian key, named after it, placed
 * in the usage plan of each subscription's tier.
 */
export const apiKeyName = (keyId: string) => `meridian-${keyId}`;

export async function provisionAwsKey(input: SubscriptionKeyInput, pageSize: number): Promise<Record<string, string>> {
  return withAwsSession(input.config, input.signal, async (session) => {
    const usagePlanId = input.ref.ids[usagePlanIdKey(input.subscription.tier)];
    if (!usagePlanId) {
      throw new ConnectorError(
        "invalid",
        `This deployment has no usage plan for tier ${input.subscription.tier}: deploy the API again with that tier allowed.`,
        false,
      );
    }
    const name = apiKeyName(input.key.id);
    // nameQuery matches by prefix: keep the exact name only.
    const found = await listAll((position) => session.send(new GetApiKeysCommand({ nameQuery: name, limit: pageSize, position })));
    let apiKeyId = found.find((k) => k.name === name)?.id;
    if (!apiKeyId) {
      const created = await session.send(
        new CreateApiKeyCommand({
          name,
          value: input.key.value,
          enabled: true,
          description: `Meridian ${input.key.keyType} key of ${input.subscription.applicationName}.`,
          tags: { "meridian:key-id": input.key.id, "meridian:application-id": input.subscription.applicationId },
        }),
      );
      apiKeyId = created.id!;
    }
    try {
      await session.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: apiKeyId, keyType: "API_KEY" }));
    } catch (error) {
      // Already in the plan: what a retry finds.
      if (!(error instanceof ConnectorError && error.code === "conflict")) throw error;
    }
    return { apiKeyId, usagePlanId };
  });
}

/** Takes the key out of the subscription's usage plan; deletes it once no plan holds it. */
export async function revokeAwsKey(
  raw: ConnectorConfig,
  _ref: DeploymentRef,
  ids: Record<string, string>,
  signal: AbortSignal | undefined,
  pageSize: number,
): Promise<void> {
  await withAwsSession(raw, signal, async (session) => {
    const { apiKeyId, usagePlanId } = ids;
    if (!apiKeyId) return;
    if (usagePlanId) await session.sendOrMissing(new DeleteUsagePlanKeyCommand({ usagePlanId, keyId: apiKeyId }));
    let plans;
    try {
      plans = await listAll((position) => session.send(new GetUsagePlansCommand({ keyId: apiKeyId, limit: pageSize, position })));
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (plans.length === 0) await session.sendOrMissing(new DeleteApiKeyCommand({ apiKey: apiKeyId }));
  });
}
