import type { KubernetesObject } from "@kubernetes/client-node";
import type { ConnectorConfig, DeploymentRef, LiveState, PlanArtifact } from "../types";
import { SUBSCRIBED_RULE } from "./clients";
import { objectsApi, readOrMissing, toConnectorError } from "./cluster";
import { envoyConfigSchema } from "./descriptor";
import { GATEWAY_API_VERSION } from "./names";
import { listOwned } from "./owned";

type Obj = KubernetesObject & { spec?: Record<string, unknown> };
type Rule = { name?: string };

/**
 * A resource's spec as a drift check compares it. The SecurityPolicy rule that admits the
 * subscribed clients is key synchronisation's (it changes with every subscription), so it is
 * left out; any other rule, and everything else in the spec, counts.
 */
function comparableSpec(o: Obj): unknown {
  const spec = o.spec ?? null;
  if (o.kind !== "SecurityPolicy" || !spec) return spec;
  const authorization = spec.authorization as { rules?: Rule[] | null } | undefined;
  if (!authorization?.rules) return spec;
  const rules = authorization.rules.filter((r) => r.name !== SUBSCRIBED_RULE);
  const { rules: _rules, ...rest } = authorization;
  return { ...spec, authorization: rules.length ? { ...rest, rules } : rest };
}

const artifactOf = (o: Obj): PlanArtifact => ({
  kind: o.kind!,
  name: o.metadata?.name ?? "",
  format: "json",
  content: { labels: o.metadata?.labels ?? {}, spec: comparableSpec(o) },
});

/**
 * What Envoy Gateway serves for a deployment, as artifacts a drift check compares: each
 * HTTPRoute the deploy wrote (read by name, so a route that lost Meridian's labels still shows)
 * and the policies, filters and Backend carrying the API's labels, as labels and spec; what the
 * cluster stamps (resource versions, status, managed fields, annotations) is left out. The key
 * Secret holds subscribers' keys and is not compared. Missing when none of the routes is left;
 * one route of several deleted is drift.
 */
export async function readLiveEnvoy(raw: ConnectorConfig, ref: DeploymentRef, signal?: AbortSignal): Promise<LiveState> {
  const config = envoyConfigSchema.parse(raw);
  const namespace = ref.ids.namespace ?? config.namespace;
  const routeNames = (ref.ids.routes ?? "").split(",").filter(Boolean);
  let doing = `reading the HTTPRoutes ${routeNames.join(", ")}`;
  try {
    const api = await objectsApi(config, signal);
    const routes = await Promise.all(
      routeNames.map((name) =>
        readOrMissing(
          () => api.read({ apiVersion: GATEWAY_API_VERSION, kind: "HTTPRoute", metadata: { name, namespace } }) as Promise<Obj>,
        ),
      ),
    );
    if (routes.every((r) => !r))
      return {
        exists: false,
        artifacts: [],
        reason: `HTTPRoute ${routeNames.join(", ")} no longer exist${routeNames.length === 1 ? "s" : ""} in namespace ${namespace}.`,
      };
    const artifacts: PlanArtifact[] = routes.map((r, i) =>
      r ? artifactOf({ ...r, kind: "HTTPRoute" }) : { kind: "HTTPRoute", name: routeNames[i], format: "json", content: { deleted: true } },
    );
    doing = "listing the API's policies, filters and backends";
    const owned = (await listOwned({ ...config, namespace, signal }, ref.ids.apiLabel ?? "")) as Obj[];
    for (const o of owned) if (o.kind !== "HTTPRoute" && o.kind !== "Secret") artifacts.push(artifactOf(o));
    for (const o of owned) if (o.kind === "HTTPRoute" && !routeNames.includes(o.metadata?.name ?? "")) artifacts.push(artifactOf(o));
    return { exists: true, artifacts };
  } catch (error) {
    throw toConnectorError(error, doing, config);
  }
}
