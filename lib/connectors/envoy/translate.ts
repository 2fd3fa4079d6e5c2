import { ownIssuerOnlyRefusals } from "../key-managers";
import { isIP } from "node:net";
import { stringify } from "yaml";
import type { SecurityScheme } from "@/lib/domain/openapi/operations";
import type { DeploymentInput, DeploymentPlan, DeploymentTier, PlanNote, PlanRefusal } from "../types";
import type { EnvoyConfig } from "./descriptor";
import {
  baseName,
  CLIENT_ID_HEADER,
  DEPLOYMENT_ANNOTATION,
  dnsLabel,
  ENVOY_API_VERSION,
  ENVOY_GROUP,
  GATEWAY_API_VERSION,
  GATEWAY_GROUP,
  meridianLabels,
  REVISION_ANNOTATION,
  tierSlug,
} from "./names";

/** One Kubernetes object as `kubectl apply -f` takes it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  type?: string;
}

export interface EnvoyTranslation {
  /** In apply order: what a route refers to exists before the route, policies come after what they target. */
  objects: K8sObject[];
  routes: string[];
  /** The Secret of API keys (its entries are written by the key synchronisation, never by a deploy). */
  keySecret?: string;
  refusals: PlanRefusal[];
  notes: PlanNote[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
// Gateway API: at most 16 rules per HTTPRoute (and 8 matches per rule; Meridian writes one).
export const MAX_RULES = 16;
const UNITS = { second: "Second", minute: "Minute", hour: "Hour", day: "Day" } as const;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An OpenAPI path template under the API's base path, as a Gateway API path match. */
export function pathMatch(prefix: string, template: string): { type: "Exact" | "RegularExpression"; value: string } {
  const full = `${prefix}${template}`;
  if (!/\{[^}]+\}/.test(template)) return { type: "Exact", value: full };
  // A parameter is one whole or partial segment: never a slash (RE2, matched against the whole path).
  const value = full
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/]+" : escapeRegex(part)))
    .join("");
  return { type: "RegularExpression", value };
}

/** The in-cluster Service an endpoint names, or undefined for a name resolved outside the cluster. */
export function inClusterService(hostname: string, namespace: string): { name: string; namespace: string } | undefined {
  if (isIP(hostname)) return undefined;
  const parts = hostname.toLowerCase().split(".");
  if (parts.length === 1) return { name: parts[0], namespace };
  const svc = parts.indexOf("svc");
  const tail = parts.slice(svc).join(".");
  if (svc === 2 && (tail === "svc" || tail === "svc.cluster.local")) return { name: parts[0], namespace: parts[1] };
  return undefined;
}

interface Operation {
  key: string;
  method: string;
  path: string;
  scheme: SecurityScheme;
  rateLimit: { requests: number; unit: keyof typeof UNITS } | null;
  scopes: string[];
}

function operationsOf(input: DeploymentInput): Operation[] {
  const settings = input.revision.settings;
  const paths = (input.revision.definition.paths ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item && typeof item[m] === "object").map((m) => {
      const key = `${m.toUpperCase()} ${path}`;
      const own = settings.operationPolicies[key];
      return {
        key,
        method: m.toUpperCase(),
        path,
        scheme: own?.security ?? settings.security.scheme,
        rateLimit: own?.rateLimit ?? null,
        scopes: own?.scopes ?? [],
      };
    }),
  );
}

type RateRule = { clientSelectors?: Array<{ headers: Array<Record<string, string>> }>; limit: { requests: number; unit: string } };

const perClient = (extra: Array<Record<string, string>> = []) => [{ headers: [...extra, { name: CLIENT_ID_HEADER, type: "Distinct" }] }];

/** Per-second rate of a tier, to compare tiers of different units. */
const perSecond = (t: DeploymentTier) =>
  t.requests === null || t.unit === null ? Infinity : t.requests / { second: 1, minute: 60, hour: 3600, day: 86400 }[t.unit];

function tierRules(scheme: SecurityScheme, tiers: DeploymentTier[]): RateRule[] {
  const limited = tiers.filter((t) => !t.unlimited);
  const rulesOf = (t: DeploymentTier, selectors: RateRule["clientSelectors"]): RateRule[] => [
    ...(t.requests !== null && t.unit !== null
      ? [{ clientSelectors: selectors, limit: { requests: t.requests, unit: UNITS[t.unit] } }]
      : []),
    ...(t.monthlyQuota !== null ? [{ clientSelectors: selectors, limit: { requests: t.monthlyQuota, unit: "Month" } }] : []),
  ];
  if (scheme === "apiKey") {
    // The key's entry name starts with its tier: one rule per tier, one bucket per key.
    return limited.flatMap((t) =>
      rulesOf(t, perClient([{ name: CLIENT_ID_HEADER, type: "RegularExpression", value: `${escapeRegex(tierSlug(t.name))}\\..+` }])),
    );
  }
  if (scheme === "oauth2" && limited.length && limited.length === tiers.length) {
    // A token names its client, not its tier: every client gets the tightest tier (see the plan's note).
    const tightest = [...limited].sort((a, b) => perSecond(a) - perSecond(b))[0];
    return rulesOf(tightest, perClient());
  }
  return [];
}

/**
 * Translates one revision into the resources Envoy Gateway serves it with: a Backend (or a
 * Service reference), a path rewrite, HTTPRoutes (one rule per operation, grouped by the
 * operation's security), a SecurityPolicy per group (JWT or API key, CORS), BackendTrafficPolicies
 * (tier and API limits) and the key Secret. No I/O: the plan and the deploy share it.
 */
export function translate(input: DeploymentInput, config: EnvoyConfig): EnvoyTranslation {
  const settings = input.revision.settings;
  const ns = config.namespace;
  const base = baseName(input.api.id);
  const labels = meridianLabels(input.api.id);
  const annotations = { [REVISION_ANNOTATION]: String(input.revision.number), [DEPLOYMENT_ANNOTATION]: input.idempotencyKey };
  const meta = (name: string) => ({ name, namespace: ns, labels, annotations });
  const refusals: PlanRefusal[] = [];
  const notes: PlanNote[] = [];
  const objects: K8sObject[] = [];

  // The backend.
  let backendRef: Record<string, unknown> = {};
  let basePath = "";
  let target: URL | undefined;
  try {
    target = new URL(input.endpoint);
  } catch {
    refusals.push({ feature: "Backend", reason: `The endpoint ${input.endpoint} is not a URL.` });
  }
  if (target) {
    const https = target.protocol === "https:";
    if (!https && target.protocol !== "http:")
      refusals.push({ feature: "Backend", reason: "Envoy Gateway proxies to http:// and https:// endpoints only." });
    if (target.search)
      refusals.push({
        feature: "Backend",
        reason: "Envoy Gateway cannot add a query string to every request: the endpoint must not have one.",
      });
    basePath = target.pathname.replace(/\/+$/, "");
    const port = Number(target.port || (https ? 443 : 80));
    const hostname = target.hostname.replace(/^\[|\]$/g, "");
    const service = inClusterService(hostname, ns);
    if (service) {
      if (service.namespace !== ns)
        refusals.push({
          feature: "Backend",
          reason: `The Service ${service.name} is in namespace ${service.namespace}, not ${ns}: a route may only reach it through a ReferenceGrant there, which Meridian does not write.`,
        });
      if (https)
        refusals.push({
          feature: "Backend",
          reason:
            "HTTPS to an in-cluster Service needs a BackendTLSPolicy, which Meridian does not write: use http:// or an external name.",
        });
      backendRef = { kind: "Service", name: service.name, port };
    } else {
      const endpoint = isIP(hostname) ? { ip: { address: hostname, port } } : { fqdn: { hostname, port } };
      objects.push({
        apiVersion: ENVOY_API_VERSION,
        kind: "Backend",
        metadata: meta(`${base}-backend`),
        spec: { endpoints: [endpoint], ...(https ? { tls: { wellKnownCACertificates: "System" } } : {}) },
      });
      backendRef = { group: ENVOY_GROUP, kind: "Backend", name: `${base}-backend` };
      notes.push({
        feature: "Backend",
        note: `The endpoint ${hostname} is reached through an Envoy Gateway Backend resource, which the installation must enable (extensionApis.enableBackend).`,
      });
    }
  }

  // The public path /{context}/{version} becomes the endpoint's path.
  const prefix = `/${input.api.context.replace(/^\/+|\/+$/g, "")}/${input.api.version}`.replace(/\/+/g, "/");
  const rewrite = `${base}-rewrite`;
  objects.push({
    apiVersion: ENVOY_API_VERSION,
    kind: "HTTPRouteFilter",
    metadata: meta(rewrite),
    spec: {
      urlRewrite: {
        path: { type: "ReplaceRegexMatch", replaceRegexMatch: { pattern: `^${escapeRegex(prefix)}`, substitution: basePath } },
      },
    },
  });

  const operations = operationsOf(input);
  if (!operations.length)
    refusals.push({ feature: "Operations", reason: "The revision has no operations: an HTTPRoute needs at least one rule to serve." });
  for (const op of operations) {
    if (op.scheme === "oauth2" && op.scopes.length)
      refusals.push({
        feature: `OAuth2 scopes of ${op.key}`,
        reason: "Meridian does not write per-operation authorization rules for Envoy Gateway yet: the scopes would not be checked.",
      });
  }

  // Rules, named after their operation (section names that policies can target).
  const used = new Set<string>();
  const ruleName = (op: Operation) => {
    const stem = dnsLabel(`${op.method} ${op.path}`, 56);
    let name = stem;
    for (let i = 2; used.has(name); i++) name = `${stem}-${i}`;
    used.add(name);
    return name;
  };
  const groups = new Map<SecurityScheme, Array<Operation & { rule: string }>>();
  for (const op of operations) groups.set(op.scheme, [...(groups.get(op.scheme) ?? []), { ...op, rule: ruleName(op) }]);

  const parentRef = {
    group: GATEWAY_GROUP,
    kind: "Gateway",
    name: config.gatewayName,
    ...(config.sectionName ? { sectionName: config.sectionName } : {}),
  };
  const routes: string[] = [];
  const policies: K8sObject[] = [];
  const keySecret = groups.has("apiKey") ? `${base}-keys` : undefined;
  // The API's own scheme keeps the plain name; operations secured otherwise get routes of their own.
  const order: SecurityScheme[] = [
    settings.security.scheme,
    ...(["apiKey", "oauth2", "none"] as const).filter((s) => s !== settings.security.scheme),
  ];
  for (const scheme of order) {
    const ops = groups.get(scheme);
    if (!ops) continue;
    const stem = scheme === settings.security.scheme ? base : `${base}-${scheme === "none" ? "open" : scheme.toLowerCase()}`;
    const names: string[] = [];
    for (let i = 0; i * MAX_RULES < ops.length; i++) {
      const name = i === 0 ? stem : `${stem}-${i + 1}`;
      names.push(name);
      objects.push({
        apiVersion: GATEWAY_API_VERSION,
        kind: "HTTPRoute",
        metadata: meta(name),
        spec: {
          parentRefs: [parentRef],
          rules: ops.slice(i * MAX_RULES, (i + 1) * MAX_RULES).map((op) => ({
            name: op.rule,
            matches: [{ path: pathMatch(prefix, op.path), method: op.method }],
            filters: [{ type: "ExtensionRef", extensionRef: { group: ENVOY_GROUP, kind: "HTTPRouteFilter", name: rewrite } }],
            backendRefs: [backendRef],
          })),
        },
      });
    }
    routes.push(...names);
    const targetRefs = names.map((name) => ({ group: GATEWAY_GROUP, kind: "HTTPRoute", name }));

    const cors = settings.cors.enabled
      ? {
          cors: {
            allowOrigins: settings.cors.origins,
            allowMethods: settings.cors.methods,
            allowHeaders: settings.cors.headers,
            ...(settings.cors.credentials ? { allowCredentials: true } : {}),
          },
        }
      : {};
    const auth =
      scheme === "oauth2"
        ? {
            jwt: {
              providers: [
                {
                  name: "meridian",
                  issuer: input.keyManager.issuer,
                  audiences: [input.keyManager.audience],
                  remoteJWKS: { uri: input.keyManager.jwksUri },
                  claimToHeaders: [{ claim: "client_id", header: CLIENT_ID_HEADER }],
                },
              ],
            },
            // Only subscribed clients pass: their rule is written by the key synchronisation
            // (clients.ts), never by a deploy, whose apply leaves it in place.
            authorization: { defaultAction: "Deny" },
          }
        : scheme === "apiKey"
          ? {
              apiKeyAuth: {
                credentialRefs: [{ group: "", kind: "Secret", name: keySecret }],
                extractFrom: [{ headers: [settings.security.apiKeyHeader] }],
                forwardClientIDHeader: CLIENT_ID_HEADER,
                sanitize: true,
              },
            }
          : {};
    if (Object.keys(cors).length || Object.keys(auth).length) {
      policies.push({
        apiVersion: ENVOY_API_VERSION,
        kind: "SecurityPolicy",
        metadata: meta(`${stem}-security`),
        spec: { targetRefs, ...cors, ...auth },
      });
    }

    const tiers = tierRules(scheme, input.tiers);
    const apiLimit: RateRule[] = settings.rateLimit
      ? [{ limit: { requests: settings.rateLimit.requests, unit: UNITS[settings.rateLimit.unit] } }]
      : [];
    const trafficPolicy = (name: string, refs: Array<Record<string, string>>, rules: RateRule[]): K8sObject => ({
      apiVersion: ENVOY_API_VERSION,
      kind: "BackendTrafficPolicy",
      metadata: meta(name),
      spec: { targetRefs: refs, rateLimit: { type: "Global", global: { rules } } },
    });
    if (apiLimit.length || tiers.length) policies.push(trafficPolicy(`${stem}-limits`, targetRefs, [...apiLimit, ...tiers]));
    // An operation's own limit replaces the API's there: Envoy Gateway applies the rule's policy, not the route's.
    ops.forEach((op, index) => {
      if (!op.rateLimit) return;
      const route = names[Math.floor(index / MAX_RULES)];
      policies.push(
        trafficPolicy(
          dnsLabel(`${route}-${op.rule}`, 63),
          [{ group: GATEWAY_GROUP, kind: "HTTPRoute", name: route, sectionName: op.rule }],
          [{ limit: { requests: op.rateLimit.requests, unit: UNITS[op.rateLimit.unit] } }, ...tiers],
        ),
      );
    });
  }
  if (keySecret) objects.unshift({ apiVersion: "v1", kind: "Secret", metadata: meta(keySecret), type: "Opaque" });
  objects.push(...policies);

  notes.push(...limitNotes(input, groups));
  refusals.push(...ownIssuerOnlyRefusals(input, "Envoy Gateway"));
  return { objects, routes, keySecret, refusals, notes };
}

function limitNotes(input: DeploymentInput, groups: Map<SecurityScheme, unknown>): PlanNote[] {
  const notes: PlanNote[] = [];
  const settings = input.revision.settings;
  const limited = input.tiers.filter((t) => !t.unlimited);
  const anyLimit =
    !!settings.rateLimit || Object.values(settings.operationPolicies).some((p) => p.rateLimit) || (limited.length && groups.size);
  if (anyLimit)
    notes.push({
      feature: "Rate limits",
      note: "Envoy Gateway counts these limits in its global rate limit service: it must be enabled (with its Redis) in the Envoy Gateway installation. Limits have no burst: a tier's burst is not applied.",
    });
  if (groups.has("oauth2") && limited.length) {
    notes.push({
      feature: "Tiers of OAuth2 callers",
      note:
        limited.length === input.tiers.length
          ? "Meridian's access tokens name the client, not the tier of its subscription: every client is held to the tightest tier the API allows, each with a bucket of its own."
          : "Meridian's access tokens name the client, not the tier of its subscription, and the API allows an unlimited tier: OAuth2 callers are not rate limited by tier.",
    });
    notes.push({
      feature: "Subscriptions of OAuth2 callers",
      note: "The policy denies every token until the key synchronisation writes the rule that allows the subscribed applications' client ids (moments after the deployment, and after each subscription change).",
    });
  }
  return notes;
}

/** The exact documents a deploy applies, as `kubectl apply -f` takes them. */
export function manifestsYaml(objects: K8sObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}

export function planOf(t: EnvoyTranslation): DeploymentPlan {
  return {
    artifacts: [
      { kind: "manifests", name: `${t.objects.length} resources (kubectl apply -f)`, format: "text", content: manifestsYaml(t.objects) },
    ],
    refusals: t.refusals,
    notes: t.notes,
  };
}
