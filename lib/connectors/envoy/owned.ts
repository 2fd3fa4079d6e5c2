import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { isNotFound } from "./cluster";
import type { EnvoyConfig } from "./descriptor";
import { API_LABEL, ENVOY_API_VERSION, GATEWAY_API_VERSION, labelValue, MANAGED_BY } from "./names";

/** The kinds Meridian writes, in the order they are deleted: policies before what they target. */
export const OWNED_KINDS = [
  { apiVersion: ENVOY_API_VERSION, kind: "BackendTrafficPolicy" },
  { apiVersion: ENVOY_API_VERSION, kind: "SecurityPolicy" },
  { apiVersion: GATEWAY_API_VERSION, kind: "HTTPRoute" },
  { apiVersion: ENVOY_API_VERSION, kind: "HTTPRouteFilter" },
  { apiVersion: ENVOY_API_VERSION, kind: "Backend" },
  { apiVersion: "v1", kind: "Secret" },
] as const;

const PAGE = 100;

/** Every object of one kind in the namespace matching a label selector, all pages. */
export async function listAll(
  api: KubernetesObjectApi,
  apiVersion: string,
  kind: string,
  namespace: string,
  labelSelector?: string,
): Promise<KubernetesObject[]> {
  const items: KubernetesObject[] = [];
  let token: string | undefined;
  do {
    const page = await api.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector, PAGE, token);
    for (const item of page.items) items.push({ ...item, apiVersion, kind });
    token = page.metadata?._continue || undefined;
  } while (token);
  return items;
}

/** This API's objects in the cluster: those carrying both of Meridian's labels. */
export async function listOwned(api: KubernetesObjectApi, config: EnvoyConfig, apiId: string): Promise<KubernetesObject[]> {
  const selector = `${MANAGED_BY}=meridian,${API_LABEL}=${labelValue(apiId)}`;
  const all: KubernetesObject[] = [];
  for (const k of OWNED_KINDS) all.push(...(await listAll(api, k.apiVersion, k.kind, config.namespace, selector)));
  return all;
}

export async function deleteOwned(api: KubernetesObjectApi, objects: KubernetesObject[]): Promise<void> {
  const order = (o: KubernetesObject) => OWNED_KINDS.findIndex((k) => k.kind === o.kind);
  for (const o of [...objects].sort((a, b) => order(a) - order(b))) {
    try {
      await api.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
