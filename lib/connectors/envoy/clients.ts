import type { KubernetesObject } from "@kubernetes/client-node";
import type { DeploymentRef } from "../types";
import { objectsApi, toConnectorError, withConflictRetry } from "./cluster";
import { envoyConfigSchema } from "./descriptor";
import { FIELD_MANAGER } from "./names";
import { listOwned } from "./owned";

export const SUBSCRIBED_RULE = "meridian-subscribed";

/** The authorization rules that let exactly these client ids through (none: no rule, so the default Deny holds). */
export function subscribedRules(clientIds: string[]) {
  if (!clientIds.length) return null;
  return [
    {
      name: SUBSCRIBED_RULE,
      action: "Allow",
      principal: { jwt: { provider: "meridian", claims: [{ name: "client_id", values: [...new Set(clientIds)].sort() }] } },
    },
  ];
}

/**
 * Sets the client ids allowed by each of the API's JWT SecurityPolicies: a JSON merge patch of
 * `spec.authorization.rules` only, with the resourceVersion just read (a 409 reads again). The
 * deploy's server-side apply owns `defaultAction: Deny` and never these rules, so a redeploy
 * keeps them.
 */
export async function syncClientsOnEnvoy(
  raw: Record<string, unknown>,
  ref: DeploymentRef,
  clientIds: string[],
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const config = envoyConfigSchema.parse(raw);
  const namespace = ref.ids.namespace ?? config.namespace;
  const api = await objectsApi(config, options.signal);
  let doing = "listing the API's SecurityPolicies";
  try {
    const policies = (await listOwned({ ...config, namespace, signal: options.signal }, ref.ids.apiLabel ?? "")).filter(
      (o) => o.kind === "SecurityPolicy" && (o as { spec?: { jwt?: unknown } }).spec?.jwt,
    );
    const rules = subscribedRules(clientIds);
    for (const p of policies) {
      doing = `writing the subscribed clients of SecurityPolicy ${p.metadata?.name}`;
      await withConflictRetry(async () => {
        const header = { apiVersion: p.apiVersion!, kind: p.kind!, metadata: { name: p.metadata!.name!, namespace } };
        const current = await api.read(header);
        const patch = {
          ...header,
          metadata: { ...header.metadata, resourceVersion: current.metadata?.resourceVersion },
          spec: { authorization: { rules } },
        };
        await api.patch(patch as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, "application/merge-patch+json");
      });
    }
  } catch (error) {
    throw toConnectorError(error, doing, config);
  }
}
