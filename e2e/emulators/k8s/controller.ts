import { storeKey, RESOURCE_TYPES, type K8sStore, type Obj } from "./store";

export const CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller";

type Json = Record<string, unknown>;
const typeOf = (kind: string) => RESOURCE_TYPES.find((t) => t.kind === kind)!;
const get = (store: K8sStore, kind: string, ns: string | undefined, name: string) => store.objects.get(storeKey(typeOf(kind), ns, name));

function condition(type: string, ok: boolean, reason: string, message: string, generation?: number) {
  return {
    type,
    status: ok ? "True" : "False",
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: new Date().toISOString(),
  };
}

export interface ControllerOptions {
  /** Routes whose name matches are refused (Accepted False), as a controller refusing them would. */
  refuseRoutes?: RegExp;
}

/** Envoy Gateway's reconciliation, for the kinds Meridian writes: route and policy status. */
export function reconcile(store: K8sStore, options: ControllerOptions = {}): void {
  const setStatus = (obj: Obj, status: Json) => {
    if (JSON.stringify(stripTimes(obj.status)) === JSON.stringify(stripTimes(status))) return;
    store.resourceVersion++;
    obj.status = status;
    obj.metadata.resourceVersion = String(store.resourceVersion);
  };
  const routes = [...store.objects.values()].filter((o) => o.kind === "HTTPRoute");
  for (const route of routes) {
    const ns = route.metadata.namespace!;
    const spec = route.spec as Json;
    const generation = route.metadata.generation;
    const parents = ((spec.parentRefs as Json[]) ?? []).map((ref) => {
      const gateway = get(store, "Gateway", (ref.namespace as string) ?? ns, String(ref.name));
      const listeners = ((gateway?.spec as Json | undefined)?.listeners as Json[] | undefined) ?? [];
      let accepted = condition("Accepted", true, "Accepted", "Route is accepted", generation);
      if (!gateway) accepted = condition("Accepted", false, "NoMatchingParent", `Gateway ${String(ref.name)} not found`, generation);
      else if (ref.sectionName && !listeners.some((l) => l.name === ref.sectionName))
        accepted = condition(
          "Accepted",
          false,
          "NoMatchingParent",
          `No listeners included by this parent ref (sectionName ${String(ref.sectionName)})`,
          generation,
        );
      else if (options.refuseRoutes?.test(route.metadata.name))
        accepted = condition(
          "Accepted",
          false,
          "UnsupportedValue",
          "The route was refused by the emulator's controller (refuseRoutes).",
          generation,
        );
      let resolved = condition("ResolvedRefs", true, "ResolvedRefs", "Resolved all the Object references for the Route", generation);
      for (const rule of (spec.rules as Json[]) ?? []) {
        for (const b of (rule.backendRefs as Json[]) ?? []) {
          const kind = String(b.kind ?? "Service");
          if (!["Service", "Backend"].includes(kind))
            resolved = condition("ResolvedRefs", false, "InvalidKind", `Unsupported backend kind ${kind}`, generation);
          else if (!get(store, kind, (b.namespace as string) ?? ns, String(b.name)))
            resolved = condition(
              "ResolvedRefs",
              false,
              "BackendNotFound",
              `Failed to process route rule ${String(rule.name ?? "")} backendRef: ${kind} ${ns}/${String(b.name)} not found.`,
              generation,
            );
        }
        for (const f of (rule.filters as Json[]) ?? []) {
          const ref = f.extensionRef as Json | undefined;
          if (ref && !get(store, String(ref.kind), ns, String(ref.name)))
            resolved = condition(
              "ResolvedRefs",
              false,
              "InvalidKind",
              `Unable to translate HTTPRouteFilter: ${ns}/${String(ref.name)} not found`,
              generation,
            );
        }
      }
      return { parentRef: ref, controllerName: CONTROLLER_NAME, conditions: [accepted, resolved] };
    });
    setStatus(route, { parents });
  }
  for (const policy of [...store.objects.values()].filter((o) => o.kind === "SecurityPolicy" || o.kind === "BackendTrafficPolicy")) {
    const ns = policy.metadata.namespace!;
    const spec = policy.spec as Json;
    const generation = policy.metadata.generation;
    const ancestors: Json[] = [];
    for (const ref of (spec.targetRefs as Json[]) ?? []) {
      const route = ref.kind === "HTTPRoute" ? get(store, "HTTPRoute", ns, String(ref.name)) : undefined;
      const parentRefs = ((route?.spec as Json | undefined)?.parentRefs as Json[] | undefined) ?? [
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "unknown" },
      ];
      let accepted = condition("Accepted", true, "Accepted", "Policy has been accepted.", generation);
      if (!route)
        accepted = condition(
          "Accepted",
          false,
          "TargetNotFound",
          `Unable to find target ${String(ref.kind)} ${ns}/${String(ref.name)}.`,
          generation,
        );
      else if (ref.sectionName && !((route.spec as Json).rules as Json[]).some((r) => r.name === ref.sectionName))
        accepted = condition(
          "Accepted",
          false,
          "TargetNotFound",
          `No rule named ${String(ref.sectionName)} in HTTPRoute ${ns}/${String(ref.name)}.`,
          generation,
        );
      const apiKey = spec.apiKeyAuth as Json | undefined;
      for (const c of (apiKey?.credentialRefs as Json[] | undefined) ?? []) {
        if (!get(store, "Secret", ns, String(c.name)))
          accepted = condition("Accepted", false, "Invalid", `API key auth: Secret ${ns}/${String(c.name)} does not exist.`, generation);
      }
      for (const p of parentRefs)
        ancestors.push({
          ancestorRef: { ...p, namespace: (p.namespace as string) ?? ns },
          controllerName: CONTROLLER_NAME,
          conditions: [accepted],
        });
    }
    setStatus(policy, { ancestors });
  }
}

function stripTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (k, v: unknown) => (k === "lastTransitionTime" ? undefined : v)));
}
