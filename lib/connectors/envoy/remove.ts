import type { DeploymentRef, UndeployOptions } from "../types";
import { objectsApi, toConnectorError } from "./cluster";
import { envoyConfigSchema } from "./descriptor";
import { deleteOwned, listOwned } from "./owned";

/**
 * Deletes every object carrying this API's labels: policies first, then routes, the rewrite
 * filter, the Backend and the key Secret. Objects without the labels are never touched;
 * nothing left (an undeploy run twice) is success.
 */
export async function undeployFromEnvoy(raw: Record<string, unknown>, ref: DeploymentRef, options: UndeployOptions = {}): Promise<void> {
  const config = envoyConfigSchema.parse(raw);
  const api = await objectsApi(config, options.signal);
  const apiLabel = ref.ids.apiLabel;
  if (!apiLabel) return;
  try {
    const owned = await listOwned({ ...config, signal: options.signal, namespace: ref.ids.namespace ?? config.namespace }, apiLabel);
    await deleteOwned(api, owned);
    await options.onStep?.("Resources deleted", owned.map((o) => `${o.kind}/${o.metadata?.name}`).join(", ") || "none left");
  } catch (error) {
    throw toConnectorError(error, `deleting the resources of ${apiLabel}`, config);
  }
}
