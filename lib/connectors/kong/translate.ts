import { ownIssuerOnlyRefusals } from "../key-managers";
import type { RateLimit } from "@/lib/domain/openapi/operations";
import { enforcedScopes } from "@/lib/domain/openapi/scopes";
import { HTTP_METHODS, isObject } from "@/lib/domain/openapi/types";
import type { DeploymentInput, DeploymentTier, PlanNote, PlanRefusal, SecurityScheme } from "../types";
import { aclGroup, apiTag, kongName, MERIDIAN_TAG, stableId, type KongPlugin, type KongRoute, type KongService } from "./entities";

/**
 * Meridian's revision → Kong entities: one service per API, one route per operation (regex path
 * with named captures under the API's context and version), and plugins for security (`jwt` or
 * `key-auth` with `acl`), limits (`rate-limiting`) and CORS (`cors`). Pure: no I/O.
 */

/** The claim of Meridian's access tokens that carries the client id (the jwt plugin's key_claim_name). */
export const CLIENT_ID_CLAIM = "client_id";

export interface KongTranslation {
  service: KongService;
  routes: KongRoute[];
  /** Service-level and route-level plugins; the tier plugins per consumer come with key sync. */
  plugins: KongPlugin[];
  /** The path prefix clients call: context and version. */
  basePath: string;
  /** rate-limiting config per tier name; absent for unlimited tiers. */
  tierLimits: Record<string, Record<string, unknown>>;
  usesApiKeys: boolean;
  usesJwt: boolean;
  refusals: PlanRefusal[];
  notes: PlanNote[];
}

const KONG_UNITS = { second: "second", minute: "minute", hour: "hour", day: "day" } as const;

/** The service's upstream from the endpoint URL; Kong keeps protocol, host, port and path apart. */
export function upstreamOf(endpoint: string): Pick<KongService, "protocol" | "host" | "port" | "path"> {
  const u = new URL(endpoint);
  const protocol = u.protocol === "https:" ? "https" : "http";
  const path = u.pathname.replace(/\/+$/, "");
  return {
    protocol,
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : protocol === "https" ? 443 : 80,
    ...(path ? { path } : {}),
  };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * An OpenAPI path template → Kong's regex path (`~` prefix, anchored) with one named capture
 * per parameter, and the upstream path the request-transformer rewrites to. Undefined when a
 * parameter name is not a valid capture name (letters, digits, underscore).
 */
export function routePath(basePath: string, path: string, upstreamBase: string): { regex: string; upstream: string } | undefined {
  let regex = escapeRegex(basePath);
  let upstream = upstreamBase;
  for (const segment of path.split("/").slice(1)) {
    regex += "/";
    upstream += "/";
    let rest = segment;
    while (rest.length) {
      const open = rest.indexOf("{");
      if (open < 0) {
        regex += escapeRegex(rest);
        upstream += rest;
        break;
      }
      const close = rest.indexOf("}", open);
      if (close < 0) return undefined;
      const name = rest.slice(open + 1, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(name)) return undefined;
      regex += escapeRegex(rest.slice(0, open)) + `(?<${name}>[^/]+)`;
      upstream += rest.slice(0, open) + `$(uri_captures["${name}"])`;
      rest = rest.slice(close + 1);
    }
  }
  return { regex: `~${regex}$`, upstream: upstream || "/" };
}

/** Kong's rate-limiting config for a limit counted per `limitBy`. */
export function rateLimitConfig(
  limit: { requests: number | null; unit: RateLimit["unit"] | null; monthlyQuota?: number | null },
  limitBy: "consumer" | "service" | "ip",
): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = { limit_by: limitBy, policy: "local", fault_tolerant: true, hide_client_headers: false };
  let any = false;
  if (limit.requests !== null && limit.unit) {
    config[KONG_UNITS[limit.unit]] = limit.requests;
    any = true;
  }
  if (limit.monthlyQuota) {
    config.month = limit.monthlyQuota;
    any = true;
  }
  return any ? config : undefined;
}

function plugin(
  apiId: string,
  scope: string,
  name: string,
  config: Record<string, unknown>,
  owner: { service?: string; route?: string },
): KongPlugin {
  return {
    id: stableId(`${apiId}|plugin|${scope}|${name}`),
    name,
    enabled: true,
    protocols: ["http", "https"],
    config,
    ...(owner.service ? { service: { id: owner.service } } : {}),
    ...(owner.route ? { route: { id: owner.route } } : {}),
    tags: [MERIDIAN_TAG, apiTag(apiId)],
  };
}

function operationSecurity(input: DeploymentInput, key: string): SecurityScheme {
  return input.revision.settings.operationPolicies[key]?.security ?? input.revision.settings.security.scheme;
}

export function translateToKong(input: DeploymentInput): KongTranslation {
  const { settings, definition } = input.revision;
  const apiId = input.api.id;
  const tags = [MERIDIAN_TAG, apiTag(apiId)];
  const refusals: PlanRefusal[] = [];
  const notes: PlanNote[] = [];
  const basePath = `${input.api.context.replace(/\/+$/, "")}/${input.api.version}`;

  const upstream = upstreamOf(input.endpoint);
  const service: KongService = {
    id: stableId(`${apiId}|service`),
    name: kongName(`meridian.${apiId}`),
    ...upstream,
    retries: 5,
    connect_timeout: 60_000,
    read_timeout: 60_000,
    write_timeout: 60_000,
    tags,
  };
  const routes: KongRoute[] = [];
  const plugins: KongPlugin[] = [];
  let usesApiKeys = false;
  let usesJwt = false;
  const scoped: string[] = [];
  const limitedAuthOps: string[] = [];
  const preflightPaths = new Set<string>();

  for (const [path, item] of Object.entries(isObject(definition.paths) ? definition.paths : {})) {
    if (!isObject(item)) continue;
    const target = routePath(basePath, path, upstream.path ?? "");
    const methods = HTTP_METHODS.filter((m) => isObject(item[m]));
    if (!target) {
      if (methods.length)
        refusals.push({
          feature: `Path ${path}`,
          reason: "Kong route regexes name each path parameter as a capture: parameter names must be letters, digits and underscores.",
        });
      continue;
    }
    for (const method of methods) {
      const key = `${method.toUpperCase()} ${path}`;
      const routeId = stableId(`${apiId}|route|${key}`);
      const routeMethods = [method.toUpperCase()];
      // Kong answers a preflight only on a route that takes OPTIONS; the cors plugin ends it before any auth plugin runs.
      if (settings.cors.enabled && !isObject(item.options) && !preflightPaths.has(path)) {
        preflightPaths.add(path);
        routeMethods.push("OPTIONS");
      }
      routes.push({
        id: routeId,
        name: kongName(`${service.name}.${method}${path}`).slice(0, 200) + `.${routeId.slice(0, 8)}`,
        protocols: ["http", "https"],
        methods: routeMethods,
        paths: [target.regex],
        // The transformer sets the whole upstream path: the backend sees the endpoint's path and the operation's, as through Meridian's own gateway.
        strip_path: false,
        preserve_host: false,
        regex_priority: path.includes("{") ? 0 : 1,
        service: { id: service.id },
        tags,
      });
      plugins.push(plugin(apiId, key, "request-transformer", { replace: { uri: target.upstream } }, { route: routeId }));

      const scheme = operationSecurity(input, key);
      if (scheme === "oauth2") {
        usesJwt = true;
        const scopes = enforcedScopes(settings, key);
        if (scopes.length) scoped.push(`${key} (${scopes.join(" ")})`);
        plugins.push(
          plugin(
            apiId,
            key,
            "jwt",
            {
              key_claim_name: CLIENT_ID_CLAIM,
              claims_to_verify: ["exp"],
              header_names: ["authorization"],
              uri_param_names: [],
              cookie_names: [],
              secret_is_base64: false,
              maximum_expiration: 0,
              run_on_preflight: false,
            },
            { route: routeId },
          ),
        );
      } else if (scheme === "apiKey") {
        usesApiKeys = true;
        plugins.push(
          plugin(
            apiId,
            key,
            "key-auth",
            {
              key_names: [settings.security.apiKeyHeader || "x-api-key"],
              key_in_header: true,
              key_in_query: false,
              key_in_body: false,
              hide_credentials: false,
              run_on_preflight: false,
            },
            { route: routeId },
          ),
        );
      }
      if (scheme !== "none")
        plugins.push(plugin(apiId, key, "acl", { allow: [aclGroup(apiId)], hide_groups_header: true }, { route: routeId }));

      const opLimit = settings.operationPolicies[key]?.rateLimit;
      if (opLimit) {
        if (scheme !== "none") limitedAuthOps.push(key);
        plugins.push(plugin(apiId, key, "rate-limiting", rateLimitConfig(opLimit, "service")!, { route: routeId }));
      }
    }
  }

  if (routes.length === 0)
    refusals.push({ feature: "Operations", reason: "The revision has no operation: Kong would have no route to serve." });

  if (settings.cors.enabled) {
    plugins.push(
      plugin(
        apiId,
        "service",
        "cors",
        {
          origins: settings.cors.origins.length ? settings.cors.origins : ["*"],
          methods: settings.cors.methods,
          headers: settings.cors.headers,
          exposed_headers: [],
          credentials: settings.cors.credentials,
          max_age: 3600,
          preflight_continue: false,
        },
        { service: service.id },
      ),
    );
  }
  if (settings.rateLimit) {
    plugins.push(plugin(apiId, "service", "rate-limiting", rateLimitConfig(settings.rateLimit, "service")!, { service: service.id }));
  }

  const tierLimits: Record<string, Record<string, unknown>> = {};
  const authenticated = usesApiKeys || usesJwt;
  for (const tier of input.tiers) {
    const config = tier.unlimited ? undefined : rateLimitConfig(tier, "consumer");
    if (config && authenticated) tierLimits[tier.name] = config;
  }
  const limitedTiers = Object.keys(tierLimits);
  if (limitedTiers.length && (settings.rateLimit || limitedAuthOps.length)) {
    refusals.push({
      feature: "Rate limits beside tiers",
      reason: `Kong runs one rate-limiting plugin per request, the most specific: a subscriber's tier limit (${limitedTiers.join(", ")}) would replace ${
        settings.rateLimit ? "the API's own limit" : `the limits of ${limitedAuthOps.join(", ")}`
      } instead of adding to it. Remove the API or operation limits, or offer only unlimited tiers.`,
    });
  }
  if (scoped.length) {
    refusals.push({
      feature: "OAuth2 scopes",
      reason: `${scoped.join(", ")} require${scoped.length === 1 ? "s" : ""} OAuth2 scopes. Kong's jwt plugin checks the signature and the expiry, never the scope claim, so every subscribed token would be let through. Deploy this API to a gateway that enforces scopes, or remove the scopes.`,
    });
  }
  if (usesJwt) {
    notes.push({
      feature: "Token audience",
      note: `Kong's jwt plugin does not check the audience (${input.keyManager.audience}): any unexpired token of a subscribed application signed by Meridian's key manager passes.`,
    });
    notes.push({
      feature: "Key rotation",
      note: "Each application's jwt credential holds one public key, the key manager's current one. After a rotation Kong accepts tokens signed with the new key once key sync has run; tokens signed with the previous key are refused from then on, before they expire.",
    });
  }
  if (input.tiers.some((t) => tierLimits[t.name] && t.burst)) {
    notes.push({
      feature: "Burst",
      note: "Kong's rate-limiting plugin counts fixed windows and has no burst: a tier's burst is not applied.",
    });
  }
  refusals.push(...ownIssuerOnlyRefusals(input, "Kong"));
  return { service, routes, plugins, basePath, tierLimits, usesApiKeys, usesJwt, refusals, notes };
}

/** Rate-limiting for one subscriber of one API: the tier's rate and quota, counted per consumer. */
export function tierPlugin(
  apiId: string,
  serviceId: string,
  consumerId: string,
  tier: string,
  config: Record<string, unknown>,
): KongPlugin {
  return {
    ...plugin(apiId, `consumer|${consumerId}`, "rate-limiting", config, { service: serviceId }),
    consumer: { id: consumerId },
    tags: [MERIDIAN_TAG, apiTag(apiId), `meridian-tier:${kongName(tier)}`],
  };
}

export type { DeploymentTier };
