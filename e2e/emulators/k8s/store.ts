/** The kinds the emulated API server serves, as its discovery documents list them. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export const RESOURCE_TYPES: ResourceType[] = [
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  { group: "", version: "v1", kind: "Service", plural: "services", namespaced: true },
  { group: "gateway.networking.k8s.io", version: "v1", kind: "Gateway", plural: "gateways", namespaced: true },
  { group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute", plural: "httproutes", namespaced: true },
  { group: "gateway.envoyproxy.io", version: "v1alpha1", kind: "Backend", plural: "backends", namespaced: true },
  { group: "gateway.envoyproxy.io", version: "v1alpha1", kind: "HTTPRouteFilter", plural: "httproutefilters", namespaced: true },
  { group: "gateway.envoyproxy.io", version: "v1alpha1", kind: "SecurityPolicy", plural: "securitypolicies", namespaced: true },
  { group: "gateway.envoyproxy.io", version: "v1alpha1", kind: "BackendTrafficPolicy", plural: "backendtrafficpolicies", namespaced: true },
];

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: Array<{ manager: string; operation: string; apiVersion: string; time: string }>;
  };
  [field: string]: unknown;
};

export interface K8sStore {
  /** By "plural/namespace/name". */
  objects: Map<string, Obj>;
  /** What each field manager last applied to an object, by the same key then "|manager". */
  applied: Map<string, Record<string, unknown>>;
  resourceVersion: number;
  requests: Array<{ method: string; path: string; query: Record<string, string>; status: number; contentType?: string }>;
}

export const storeKey = (type: ResourceType, namespace: string | undefined, name: string) => `${type.plural}/${namespace ?? ""}/${name}`;

export function emptyStore(): K8sStore {
  return { objects: new Map(), applied: new Map(), resourceVersion: 1000, requests: [] };
}

/** The cluster a test starts with: the namespace and a programmed Gateway of Envoy Gateway. */
export function seed(store: K8sStore, namespace: string, gatewayName: string): void {
  const put = (type: ResourceType, obj: Obj) => {
    store.resourceVersion++;
    obj.metadata.uid = crypto.randomUUID();
    obj.metadata.resourceVersion = String(store.resourceVersion);
    obj.metadata.creationTimestamp = new Date().toISOString();
    obj.metadata.generation = 1;
    store.objects.set(storeKey(type, obj.metadata.namespace, obj.metadata.name), obj);
  };
  const t = (kind: string) => RESOURCE_TYPES.find((r) => r.kind === kind)!;
  for (const ns of ["default", namespace])
    put(t("Namespace"), { apiVersion: "v1", kind: "Namespace", metadata: { name: ns }, status: { phase: "Active" } });
  put(t("Gateway"), {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: gatewayName, namespace },
    spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
    status: {
      conditions: [
        { type: "Accepted", status: "True", reason: "Accepted", message: "The Gateway has been scheduled by Envoy Gateway" },
        {
          type: "Programmed",
          status: "True",
          reason: "Programmed",
          message: "Address assigned to the Gateway, 1/1 envoy replicas available",
        },
      ],
    },
  });
}

export function clearStore(store: K8sStore): void {
  store.objects.clear();
  store.applied.clear();
  store.requests.length = 0;
}
