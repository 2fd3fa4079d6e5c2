import type { DeploymentRef, SubscriptionKeyInput } from "../types";
import { ConnectorError } from "../types";
import { azureSession } from "./client";
import { azureConfigSchema } from "./descriptor";
import { isNotFound, toConnectorError } from "./errors";
import { subscriptionDisplayName, subscriptionSid } from "./names";

/**
 * A Meridian key on Azure: a subscription to the tier's product whose primary key is the key
 * Meridian issued, so that the consumer's one key works on every gateway. The id derives from
 * the Meridian subscription and key, so a retry rewrites the same subscription.
 */
export async function provisionKeyOnAzure(input: SubscriptionKeyInput): Promise<Record<string, string>> {
  const productId = input.ref.ids[`product:${input.subscription.tier}`];
  if (!productId) {
    throw new ConnectorError(
      "invalid",
      `The deployment on Azure has no product for tier ${input.subscription.tier}: only API-key APIs get products, one per allowed tier.`,
    );
  }
  const sid = subscriptionSid(input.subscription.id, input.key.id);
  const s = await azureSession(azureConfigSchema.parse(input.config));
  try {
    await s.client.subscription.createOrUpdate(
      s.rg,
      s.service,
      sid,
      {
        scope: `/products/${productId}`,
        displayName: subscriptionDisplayName(input.subscription.applicationName, input.key.keyType),
        primaryKey: input.key.value,
        state: "active",
      },
      { notify: false, abortSignal: input.signal },
    );
  } catch (error) {
    throw toConnectorError(error, `writing subscription ${sid}`);
  }
  return { subscriptionId: sid };
}

export async function revokeKeyOnAzure(
  raw: Record<string, unknown>,
  _ref: DeploymentRef,
  remoteIds: Record<string, string>,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const sid = remoteIds.subscriptionId;
  if (!sid) return;
  const s = await azureSession(azureConfigSchema.parse(raw));
  try {
    await s.client.subscription.delete(s.rg, s.service, sid, "*", { abortSignal: options.signal });
  } catch (error) {
    if (!isNotFound(error)) throw toConnectorError(error, `deleting subscription ${sid}`);
  }
}
