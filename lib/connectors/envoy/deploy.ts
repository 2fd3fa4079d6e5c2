import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { contentHash } from "../azure/hash";
import { ConnectorError, type DeploymentInput, type DeploymentRef } from "../types";
import { applyObject, isNotFound, objectsApi, readOrMissing, toConnectorError, withConflictRetry } from "./cluster";
import { envoyConfigSchema, type EnvoyConfig } from "./descriptor";
import { API_LABEL, GATEWAY_API_VERSION, labelValue, MANAGED_BY } from "./names";
import { deleteOwned, listOwned } from "./owned";
import { translate, type K8sObject } from "./translate";

const POLL_MS = 200;

/** How long the controller has to accept the routes and policies (MERIDIAN_ENVOY_STATUS_TIMEOUT_MS). */
const statusTimeoutMs = () => Number(process.env.MERIDIAN_ENVOY_STATUS_TIMEOUT_MS) || 60_000;

/** Whether an object in the cluster is this API's, by its labels: Meridian never touches anyone else's. */
export function ownedBy(object: KubernetesObject | undefined, apiId: string): boolean {
  const labels = object?.metadata?.labels ?? {};
  return labels[MANAGED_BY] === "meridian" && labels[API_LABEL] === labelValue(apiId);
}

/** What a deployment serves, hashed without what the cluster adds. */
export const specHash = (objects: Array<Pick<K8sObject, "kind" | "metadata" | "spec">>) =>
  contentHash(
    objects
      .map((o) => ({ kind: o.kind, name: o.metadata?.name, spec: o.spec ?? null }))
      .sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`)),
  );

type Condition = { type?: string; status?: string; message?: string; reason?: string; observedGeneration?: number };
type WithStatus = KubernetesObject & {
  status?: { parents?: Array<{ conditions?: Condition[] }>; ancestors?: Array<{ conditions?: Condition[] }> };
};

/**
 * Waits until Envoy Gateway's controller says every route is Accepted with ResolvedRefs and every
 * policy Accepted, for the generation just written. A False condition fails at once with the
 * controller's message; no answer within the time limit fails as a timeout.
 */
async function waitForStatus(api: KubernetesObjectApi, objects: K8sObject[], signal?: AbortSignal): Promise<void> {
  const watched = objects.filter((o) => ["HTTPRoute", "SecurityPolicy", "BackendTrafficPolicy"].includes(o.kind));
  const deadline = Date.now() + statusTimeoutMs();
  const pending = new Set(watched.map((o) => `${o.kind}/${o.metadata.name}`));
  for (;;) {
    for (const o of watched) {
      const id = `${o.kind}/${o.metadata.name}`;
      if (!pending.has(id)) continue;
      const live = (await api.read({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
      })) as WithStatus;
      const generation = live.metadata?.generation;
      const entries = o.kind === "HTTPRoute" ? (live.status?.parents ?? []) : (live.status?.ancestors ?? []);
      const wanted = o.kind === "HTTPRoute" ? ["Accepted", "ResolvedRefs"] : ["Accepted"];
      const conditions = entries
        .flatMap((e) => e.conditions ?? [])
        .filter((c) => c.observedGeneration === undefined || generation === undefined || c.observedGeneration >= generation);
      const refused = conditions.find((c) => wanted.includes(c.type ?? "") && c.status === "False");
      if (refused)
        throw new ConnectorError(
          "invalid",
          `Envoy Gateway refused ${o.kind} ${o.metadata.name} (${refused.type} ${refused.reason ?? ""}): ${refused.message ?? "no message"}`,
        );
      if (entries.length && wanted.every((w) => conditions.some((c) => c.type === w && c.status === "True"))) pending.delete(id);
    }
    if (!pending.size) return;
    if (signal?.aborted) throw new ConnectorError("timeout", "The deployment was cancelled while waiting for Envoy Gateway.");
    if (Date.now() > deadline)
      throw new ConnectorError(
        "timeout",
        `Envoy Gateway did not accept ${[...pending].join(", ")} within ${Math.round(statusTimeoutMs() / 1000)} s: is its controller running and watching namespace ${objects[0].metadata.namespace}?`,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function invokeUrlOf(
  input: DeploymentInput,
  gateway: { status?: { addresses?: Array<{ value?: string }> } } | undefined,
): string | undefined {
  const prefix = `/${input.api.context.replace(/^\/+|\/+$/g, "")}/${input.api.version}`.replace(/\/+/g, "/");
  const publicUrl = input.environment.publicUrls[0];
  if (publicUrl) return `${publicUrl.replace(/\/+$/, "")}${prefix}`;
  const address = gateway?.status?.addresses?.[0]?.value;
  return address ? `http://${address.includes(":") ? `[${address}]` : address}${prefix}` : undefined;
}

/**
 * Applies the revision's resources in order (server-side apply, field manager meridian), removes
 * this API's resources that the revision no longer has, then waits for the controller to accept
 * them. A resource of the same name without Meridian's labels is never overwritten. When a first
 * deployment fails, what it created is deleted; a redeploy that fails leaves the engine to retry.
 */
export async function deployToEnvoy(input: DeploymentInput, previousRef?: DeploymentRef): Promise<DeploymentRef> {
  const config: EnvoyConfig = envoyConfigSchema.parse(input.config);
  const t = translate(input, config);
  if (t.refusals.length)
    throw new ConnectorError(
      "unsupported",
      `Envoy Gateway cannot enforce: ${t.refusals.map((r) => `${r.feature} (${r.reason})`).join("; ")}`,
    );
  const api = await objectsApi(config, input.signal);
  const step = async (name: string, detail?: string) => input.onStep?.(name, detail);
  const created: K8sObject[] = [];
  let doing = `reading Gateway ${config.namespace}/${config.gatewayName}`;
  try {
    const gateway = await readOrMissing(() =>
      api.read({ apiVersion: GATEWAY_API_VERSION, kind: "Gateway", metadata: { name: config.gatewayName, namespace: config.namespace } }),
    );
    if (!gateway) throw new ConnectorError("not_found", `No Gateway named ${config.gatewayName} in namespace ${config.namespace}.`);

    for (const object of t.objects) {
      doing = `applying ${object.kind} ${object.metadata.name}`;
      const header = {
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
      };
      const existing = await readOrMissing(() => api.read(header));
      if (existing && !ownedBy(existing, input.api.id))
        throw new ConnectorError(
          "conflict",
          `${object.kind} ${config.namespace}/${object.metadata.name} exists without Meridian's labels for this API: Meridian leaves it alone. Rename or remove it.`,
        );
      await withConflictRetry(() => applyObject(api, object as KubernetesObject));
      if (!existing) created.push(object);
      if (input.signal?.aborted) throw new ConnectorError("timeout", "The deployment was cancelled.");
    }
    await step("Resources applied", t.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", "));

    doing = "removing resources the revision no longer has";
    const wanted = new Set(t.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    const stale = (await listOwned({ ...config, signal: input.signal }, input.api.id)).filter(
      (o) => !wanted.has(`${o.kind}/${o.metadata?.name}`),
    );
    await deleteOwned(api, stale);
    if (stale.length) await step("Old resources removed", stale.map((o) => `${o.kind}/${o.metadata?.name}`).join(", "));

    doing = "waiting for Envoy Gateway to accept the routes and policies";
    await waitForStatus(api, t.objects, input.signal);
    await step("Accepted by Envoy Gateway", t.routes.join(", "));

    const invokeUrl = invokeUrlOf(input, gateway as never);
    return {
      type: "envoy",
      version: 1,
      ids: {
        namespace: config.namespace,
        routes: t.routes.join(","),
        apiLabel: labelValue(input.api.id),
        ...(t.keySecret ? { keySecret: t.keySecret } : {}),
      },
      ...(invokeUrl ? { invokeUrl } : {}),
      contentHash: specHash(t.objects),
      revisionNumber: input.revision.number,
    };
  } catch (error) {
    const failure = toConnectorError(error, doing, config);
    if (!previousRef && created.length) {
      const leftovers: string[] = [];
      for (const o of [...created].reverse()) {
        try {
          await api.delete({
            apiVersion: o.apiVersion,
            kind: o.kind,
            metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
          });
        } catch (undoError) {
          if (!isNotFound(undoError)) leftovers.push(`${o.kind}/${o.metadata.name}`);
        }
      }
      if (leftovers.length) failure.message += ` Clean-up left behind: ${leftovers.join(", ")}.`;
    }
    throw failure;
  }
}
