import type { DeploymentRef, SubscriptionKeyInput } from "../types";
import { ConnectorError } from "../types";
import { isNotFound, objectsApi, toConnectorError, withConflictRetry } from "./cluster";
import { envoyConfigSchema } from "./descriptor";
import { API_LABEL, FIELD_MANAGER, keyEntryName, MANAGED_BY } from "./names";

type Secret = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string | null>;
};

/**
 * Writes one entry of the API's key Secret: a JSON merge patch carrying the resourceVersion
 * read just before, so that two writers never lose each other's entries (a 409 reads again).
 */
async function patchEntry(
  raw: Record<string, unknown>,
  ref: DeploymentRef,
  entry: string,
  value: string | null,
  signal?: AbortSignal,
): Promise<void> {
  const config = envoyConfigSchema.parse(raw);
  const name = ref.ids.keySecret;
  if (!name) throw new ConnectorError("invalid", "The deployment on Envoy Gateway has no key Secret: only API-key APIs have one.");
  const namespace = ref.ids.namespace ?? config.namespace;
  const api = await objectsApi(config, signal);
  const header = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace } };
  await withConflictRetry(async () => {
    if (signal?.aborted) throw new ConnectorError("timeout", "The key synchronisation was cancelled.");
    const current = (await api.read(header)) as Secret;
    const labels = current.metadata.labels ?? {};
    if (labels[MANAGED_BY] !== "meridian" || labels[API_LABEL] !== ref.ids.apiLabel)
      throw new ConnectorError(
        "conflict",
        `Secret ${namespace}/${name} is not Meridian's key Secret for this API: Meridian leaves it alone.`,
      );
    if (value === null && !(current.data && entry in current.data)) return;
    const patch: Secret = {
      ...header,
      metadata: { ...header.metadata, resourceVersion: current.metadata.resourceVersion },
      data: { [entry]: value },
    };
    await api.patch(patch, undefined, undefined, FIELD_MANAGER, undefined, "application/merge-patch+json");
  });
}

/** Installs a Meridian key as an entry of the API's Secret, named after its tier, subscription and key. */
export async function provisionKeyOnEnvoy(input: SubscriptionKeyInput): Promise<Record<string, string>> {
  const entry = keyEntryName(input.subscription.tier, input.subscription.id, input.key.id);
  try {
    await patchEntry(input.config, input.ref, entry, Buffer.from(input.key.value).toString("base64"), input.signal);
  } catch (error) {
    throw toConnectorError(error, `writing key ${entry} of Secret ${input.ref.ids.keySecret}`);
  }
  return { secret: input.ref.ids.keySecret!, entry };
}

export async function revokeKeyOnEnvoy(
  raw: Record<string, unknown>,
  ref: DeploymentRef,
  remoteIds: Record<string, string>,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  if (!remoteIds.entry) return;
  try {
    await patchEntry(
      raw,
      { ...ref, ids: { ...ref.ids, keySecret: remoteIds.secret ?? ref.ids.keySecret } },
      remoteIds.entry,
      null,
      options.signal,
    );
  } catch (error) {
    if (!isNotFound(error)) throw toConnectorError(error, `removing key ${remoteIds.entry}`);
  }
}
