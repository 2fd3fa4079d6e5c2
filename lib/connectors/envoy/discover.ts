import type { KubernetesObject } from "@kubernetes/client-node";
import { contentHash } from "../azure/hash";
import type { DeploymentRef, DiscoveredApi, ObservedState } from "../types";
import { isNotFound, toConnectorError } from "./cluster";
import { specHash } from "./deploy";
import { envoyConfigSchema } from "./descriptor";
import { API_LABEL, ENVOY_API_VERSION, GATEWAY_API_VERSION, MANAGED_BY } from "./names";
import { listAll, listOwned } from "./owned";

type Json = Record<string, unknown>;
type Obj = KubernetesObject & { spec?: Json };

/** A Gateway API path match as an OpenAPI path: regular-expression segments become parameters. */
export function openApiPath(match: { type?: string; value?: string } | undefined): string {
  const value = match?.value ?? "/";
  if (match?.type !== "RegularExpression") return value;
  let n = 0;
  // A segment class ([^/]+) holds a slash of its own: it becomes a parameter before splitting.
  return value
    .replace(/\[\^\/\][+*]/g, "\u0000")
    .split("/")
    .map((segment) =>
      segment.includes("\u0000") || /[[\]()*+?|^$]/.test(segment.replace(/\\./g, "")) ? `{param${++n}}` : segment.replace(/\\(.)/g, "$1"),
    )
    .join("/");
}

/** The longest run of whole leading segments all paths share. */
function commonPrefix(paths: string[]): string {
  if (!paths.length) return "";
  const split = paths.map((p) => p.split("/").filter(Boolean));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0][i];
    if (seg === undefined || seg.startsWith("{") || split.some((s) => s[i] !== seg || s.length <= i + 1)) break;
    out.push(seg);
  }
  return out.length ? `/${out.join("/")}` : "";
}

function upstreamsOf(routes: Obj[], backends: Map<string, Obj>): string[] {
  const urls = new Set<string>();
  for (const route of routes)
    for (const rule of (route.spec?.rules as Json[]) ?? [])
      for (const b of (rule.backendRefs as Json[]) ?? []) {
        if (b.kind === "Backend") {
          const spec = backends.get(String(b.name))?.spec;
          for (const e of (spec?.endpoints as Json[]) ?? []) {
            const h = (e.fqdn ?? e.ip) as Json | undefined;
            if (h) urls.add(`${spec?.tls ? "https" : "http"}://${String(h.hostname ?? h.address)}:${String(h.port)}`);
          }
        } else urls.add(`http://${String(b.name)}.${String(b.namespace ?? route.metadata?.namespace)}.svc:${String(b.port ?? 80)}`);
      }
  return [...urls];
}

/** One API from routes: an OpenAPI document of their rules, with the security their policies ask for. */
function apiOf(externalId: string, name: string, routes: Obj[], policies: Obj[], backends: Map<string, Obj>): DiscoveredApi {
  const ops: Array<{ path: string; method: string; secured?: string }> = [];
  const schemes: Json = {};
  for (const route of routes) {
    const security = policies.find((p) => p.kind === "SecurityPolicy" && targets(p, route));
    const scheme = security?.spec?.jwt ? "jwt" : security?.spec?.apiKeyAuth ? "apiKey" : undefined;
    if (scheme === "jwt") schemes.jwt = { type: "http", scheme: "bearer", bearerFormat: "JWT" };
    if (scheme === "apiKey") {
      const header =
        (((security!.spec!.apiKeyAuth as Json).extractFrom as Json[])?.[0]?.headers as string[] | undefined)?.[0] ?? "x-api-key";
      schemes.apiKey = { type: "apiKey", in: "header", name: header };
    }
    for (const rule of (route.spec?.rules as Json[]) ?? [])
      for (const m of (rule.matches as Json[]) ?? [{}])
        ops.push({ path: openApiPath(m.path as never), method: String(m.method ?? "GET").toLowerCase(), secured: scheme });
  }
  const context = commonPrefix(ops.map((o) => o.path));
  const paths: Record<string, Json> = {};
  for (const op of ops) {
    const rel = op.path.slice(context.length) || "/";
    const params = [...rel.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    paths[rel] = {
      ...paths[rel],
      [op.method]: {
        ...(params.length ? { parameters: params } : {}),
        ...(op.secured ? { security: [{ [op.secured]: [] }] } : {}),
        responses: { default: { description: "Response" } },
      },
    };
  }
  const definition = {
    openapi: "3.0.3",
    info: { title: name, version: "v1" },
    paths,
    ...(Object.keys(schemes).length ? { components: { securitySchemes: schemes } } : {}),
    "x-envoy-gateway": {
      routes: routes.map((r) => r.metadata?.name),
      policies: policies.filter((p) => routes.some((r) => targets(p, r))).map((p) => `${p.kind}/${p.metadata?.name}`),
    },
  };
  const attached = policies.filter((p) => routes.some((r) => targets(p, r)));
  return {
    externalId,
    name,
    context: context || "/",
    definition,
    upstreams: upstreamsOf(routes, backends),
    contentHash: contentHash([...routes, ...attached].map((o) => ({ kind: o.kind, name: o.metadata?.name, spec: o.spec ?? null }))),
  };
}

const targets = (policy: Obj, route: Obj) =>
  ((policy.spec?.targetRefs as Json[]) ?? []).some((r) => r.kind === "HTTPRoute" && r.name === route.metadata?.name);

/**
 * Every HTTPRoute of the namespace (all pages) with its attached policies. Routes Meridian wrote
 * (its labels) are grouped into the API they serve; any other route is an API of its own.
 */
export async function discoverOnEnvoy(raw: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<DiscoveredApi[]> {
  const config = envoyConfigSchema.parse(raw);
  let doing = "listing HTTPRoutes";
  try {
    const routes = (await listAll({ ...config, signal: options.signal }, GATEWAY_API_VERSION, "HTTPRoute", config.namespace)) as Obj[];
    if (options.signal?.aborted) throw new Error("cancelled");
    doing = "listing policies";
    const policies = [
      ...((await listAll({ ...config, signal: options.signal }, ENVOY_API_VERSION, "SecurityPolicy", config.namespace)) as Obj[]),
      ...((await listAll({ ...config, signal: options.signal }, ENVOY_API_VERSION, "BackendTrafficPolicy", config.namespace)) as Obj[]),
    ];
    const backends = new Map(
      ((await listAll({ ...config, signal: options.signal }, ENVOY_API_VERSION, "Backend", config.namespace)) as Obj[]).map((b) => [
        b.metadata!.name!,
        b,
      ]),
    );
    const groups = new Map<string, Obj[]>();
    for (const route of routes) {
      const labels = route.metadata?.labels ?? {};
      const id =
        labels[MANAGED_BY] === "meridian" && labels[API_LABEL] ? `meridian/${labels[API_LABEL]}` : `httproute/${route.metadata!.name}`;
      groups.set(id, [...(groups.get(id) ?? []), route]);
    }
    return [...groups].map(([id, rs]) =>
      apiOf(id, id.startsWith("meridian/") ? id.slice(9) : rs[0].metadata!.name!, rs, policies, backends),
    );
  } catch (error) {
    throw toConnectorError(error, doing, config);
  }
}

/** Whether the deployment's routes still exist, and the hash of what the cluster holds for it. */
export async function observeOnEnvoy(raw: Record<string, unknown>, ref: DeploymentRef): Promise<ObservedState> {
  const config = envoyConfigSchema.parse(raw);
  try {
    const owned = (await listOwned({ ...config, namespace: ref.ids.namespace ?? config.namespace }, ref.ids.apiLabel ?? "")) as Obj[];
    const routes = owned.filter((o) => o.kind === "HTTPRoute");
    if (!routes.length) return { exists: false };
    const order = (ref.ids.routes ?? "").split(",");
    return {
      exists: true,
      contentHash: specHash(owned.map((o) => ({ kind: o.kind!, metadata: o.metadata as never, spec: o.spec }))),
      details: { routes: routes.map((r) => r.metadata?.name), expectedRoutes: order },
    };
  } catch (error) {
    if (isNotFound(error)) return { exists: false };
    throw toConnectorError(error, "reading the deployment's resources", config);
  }
}
