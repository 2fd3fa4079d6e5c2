import type { ConnectorConfig, DeploymentRef, DiscoveredApi, ObservedState } from "../types";
import { kongClient } from "./client";
import { kongConfigSchema } from "./descriptor";
import { isMeridians } from "./entities";
import { kongWriter, refId, type Entity } from "./writer";
import { hashOf, ownedEntities } from "./owned";
import { apiIdOf } from "./undeploy";

/**
 * Discovery: every service with its routes and plugins (each listing paged with `offset`),
 * described as an OpenAPI document whose paths come from the routes and whose security comes
 * from the plugins. Services Meridian wrote carry its tag and are not reported: they are
 * deployments, not discoveries.
 */

const HTTP = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

/** Kong's regex path (or prefix path) → an OpenAPI path template. */
export function templateOf(path: string): string {
  if (!path.startsWith("~")) return path;
  return (
    path
      .slice(1)
      .replace(/^\^/, "")
      .replace(/\$$/, "")
      .replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>[^)]*\)/g, "{$1}")
      .replace(/\\(.)/g, "$1") || "/"
  );
}

function upstreamOf(s: Entity): string {
  const port = Number(s.port);
  const defaultPort = (s.protocol === "https" && port === 443) || (s.protocol === "http" && port === 80);
  return `${String(s.protocol)}://${String(s.host)}${defaultPort ? "" : `:${port}`}${(s.path as string | null) ?? ""}`;
}

function securityOf(plugins: Entity[]): { schemes: Record<string, unknown>; requirement?: Record<string, string[]> } {
  const keyAuth = plugins.find((p) => p.name === "key-auth" && p.enabled !== false);
  const jwt = plugins.find((p) => p.name === "jwt" && p.enabled !== false);
  if (jwt) return { schemes: { jwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }, requirement: { jwt: [] } };
  if (keyAuth) {
    const name = ((keyAuth.config as { key_names?: string[] }).key_names ?? ["apikey"])[0];
    return { schemes: { api_key: { type: "apiKey", in: "header", name } }, requirement: { api_key: [] } };
  }
  return { schemes: {} };
}

export function describeService(service: Entity, routes: Entity[], plugins: Entity[]): DiscoveredApi {
  const servicePlugins = plugins.filter((p) => !refId(p.route));
  const paths: Record<string, Record<string, unknown>> = {};
  const schemes: Record<string, unknown> = {};
  for (const route of routes) {
    const own = plugins.filter((p) => refId(p.route) === route.id);
    const names = new Set(own.map((p) => p.name));
    const effective = [...own, ...servicePlugins.filter((p) => !names.has(p.name))];
    const security = securityOf(effective);
    Object.assign(schemes, security.schemes);
    const methods = ((route.methods as string[] | null) ?? []).filter((m) => HTTP.includes(m));
    for (const path of (route.paths as string[] | null) ?? ["/"]) {
      const template = templateOf(path);
      const item = (paths[template] ??= {});
      const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      for (const m of methods.length ? methods : ["GET"]) {
        if (m === "OPTIONS" && methods.length > 1) continue;
        item[m.toLowerCase()] = {
          ...(route.name ? { operationId: String(route.name) } : {}),
          ...(params.length ? { parameters: params } : {}),
          ...(security.requirement ? { security: [security.requirement] } : { security: [] }),
          responses: { default: { description: "Response from the upstream" } },
        };
      }
    }
  }
  const upstream = upstreamOf(service);
  const name = String(service.name ?? service.id);
  const definition = {
    openapi: "3.0.3",
    info: { title: name, version: "1.0.0" },
    servers: [{ url: upstream }],
    paths,
    ...(Object.keys(schemes).length ? { components: { securitySchemes: schemes } } : {}),
  };
  return {
    externalId: service.id,
    name,
    definition,
    upstreams: [upstream],
    contentHash: hashOf([service], routes, plugins),
  };
}

export async function discoverOnKong(raw: ConnectorConfig, options: { signal?: AbortSignal } = {}): Promise<DiscoveredApi[]> {
  const kong = kongClient(kongConfigSchema.parse(raw), options.signal);
  const [services, routes, plugins] = await Promise.all([
    kong.listAll<Entity>("/services", "listing services"),
    kong.listAll<Entity>("/routes", "listing routes"),
    kong.listAll<Entity>("/plugins", "listing plugins"),
  ]);
  return services
    .filter((s) => !isMeridians(s))
    .map((s) => {
      const own = routes.filter((r) => refId(r.service) === s.id);
      const ids = new Set(own.map((r) => r.id));
      return describeService(
        s,
        own,
        plugins.filter((p) => !refId(p.consumer) && (refId(p.service) === s.id || ids.has(refId(p.route) ?? ""))),
      );
    });
}

export async function observeOnKong(raw: ConnectorConfig, ref: DeploymentRef): Promise<ObservedState> {
  const w = kongWriter(kongClient(kongConfigSchema.parse(raw)));
  const owned = await ownedEntities(w, apiIdOf(ref));
  const service = owned.services.find((s) => s.id === ref.ids.serviceId);
  if (!service) return { exists: false, details: { reason: `Service ${ref.ids.serviceName ?? ref.ids.serviceId} does not exist.` } };
  return {
    exists: true,
    contentHash: hashOf(owned.services, owned.routes, owned.plugins),
    details: { serviceId: service.id, routes: owned.routes.length, plugins: owned.plugins.length },
  };
}
