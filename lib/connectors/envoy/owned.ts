import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { isNotFound, kubeConfig } from "./cluster";
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

const PLURALS: Record<string, string> = {
  HTTPRoute: "httproutes",
  Backend: "backends",
  HTTPRouteFilter: "httproutefilters",
  SecurityPolicy: "securitypolicies",
  BackendTrafficPolicy: "backendtrafficpolicies",
};

/**
 * Every object of one kind in the namespace matching a label selector, following `continue`
 * through all pages. Custom resources go through the custom objects API, whose answers keep the
 * list's metadata as the server wrote it (the objects API drops `continue` for kinds it has no
 * model of); Secrets through the core API.
 */
export async function listAll(
  config: EnvoyConfig & { signal?: AbortSignal },
  apiVersion: string,
  kind: string,
  namespace: string,
  labelSelector?: string,
): Promise<KubernetesObject[]> {
  const { CoreV1Api, CustomObjectsApi } = await import("@kubernetes/client-node");
  const kc = await kubeConfig(config, config.signal);
  const items: KubernetesObject[] = [];
  let token: string | undefined;
  do {
    let page: { items: KubernetesObject[]; metadata?: { continue?: string; _continue?: string } };
    if (kind === "Secret") {
      page = (await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace, labelSelector, limit: PAGE, _continue: token })) as never;
    } else {
      const [group, version] = apiVersion.split("/");
      page = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: PLURALS[kind],
        labelSelector,
        limit: PAGE,
        _continue: token,
      })) as never;
    }
    for (const item of page.items) items.push({ ...item, apiVersion, kind });
    token = page.metadata?._continue || page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** This API's objects in the cluster: those carrying both of Meridian's labels. */
export async function listOwned(config: EnvoyConfig & { signal?: AbortSignal }, apiId: string): Promise<KubernetesObject[]> {
  const selector = `${MANAGED_BY}=meridian,${API_LABEL}=${labelValue(apiId)}`;
  const all: KubernetesObject[] = [];
  for (const k of OWNED_KINDS) all.push(...(await listAll(config, k.apiVersion, k.kind, config.namespace, selector)));
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
