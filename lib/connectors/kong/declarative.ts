import type { KongAcl, KongConsumer, KongJwtSecret, KongKeyAuth, KongPlugin, KongRoute, KongService } from "./entities";
import type { KongTranslation } from "./translate";

/**
 * Kong's declarative configuration (`_format_version: "3.0"`, the file decK and DB-less Kong
 * read). Nested as decK writes it: routes and their plugins under their service, credentials
 * under their consumer. Pure.
 */

type Nested<T> = Omit<T, "service" | "route" | "consumer">;

export interface DeclarativeService extends Nested<KongService> {
  routes?: Array<Nested<KongRoute> & { plugins?: Array<Nested<KongPlugin>> }>;
  plugins?: Array<Nested<KongPlugin> & { consumer?: string }>;
}

export interface DeclarativeConsumer extends KongConsumer {
  keyauth_credentials?: Array<Nested<KongKeyAuth>>;
  jwt_secrets?: Array<Nested<KongJwtSecret>>;
  acls?: Array<Nested<KongAcl>>;
}

export interface DeclarativeConfig {
  _format_version: "3.0";
  _transform?: boolean;
  services?: DeclarativeService[];
  consumers?: DeclarativeConsumer[];
  /** Plugins attached to no service (global, or consumer-only). */
  plugins?: Array<Record<string, unknown>>;
  [other: string]: unknown;
}

const strip = <T extends object>(entity: T): Nested<T> => {
  const { service: _s, route: _r, consumer: _c, ...rest } = entity as T & { service?: unknown; route?: unknown; consumer?: unknown };
  return rest as Nested<T>;
};

/** One API's service, routes and plugins in declarative form; consumer-scoped plugins name their consumer. */
export function declarativeService(
  t: Pick<KongTranslation, "service" | "routes" | "plugins">,
  consumerPlugins: KongPlugin[] = [],
): DeclarativeService {
  const routePlugins = new Map<string, KongPlugin[]>();
  const servicePlugins: DeclarativeService["plugins"] = [];
  for (const p of t.plugins) {
    if (p.route) routePlugins.set(p.route.id, [...(routePlugins.get(p.route.id) ?? []), p]);
    else servicePlugins.push(strip(p));
  }
  for (const p of consumerPlugins) servicePlugins.push({ ...strip(p), ...(p.consumer ? { consumer: p.consumer.id } : {}) });
  return {
    ...strip(t.service),
    routes: t.routes.map((r) => {
      const plugins = routePlugins.get(r.id) ?? [];
      return { ...strip(r), ...(plugins.length ? { plugins: plugins.map(strip) } : {}) };
    }),
    ...(servicePlugins.length ? { plugins: servicePlugins } : {}),
  };
}

/** The plan's artifact: exactly what a deploy of this revision writes for the API. */
export function declarativeConfig(t: KongTranslation): DeclarativeConfig {
  return { _format_version: "3.0", services: [declarativeService(t)] };
}

export function declarativeConsumer(
  consumer: KongConsumer,
  creds: { keyauth?: KongKeyAuth[]; jwt?: KongJwtSecret[]; acls?: KongAcl[] },
): DeclarativeConsumer {
  return {
    ...consumer,
    ...(creds.keyauth?.length ? { keyauth_credentials: creds.keyauth.map(strip) } : {}),
    ...(creds.jwt?.length ? { jwt_secrets: creds.jwt.map(strip) } : {}),
    ...(creds.acls?.length ? { acls: creds.acls.map(strip) } : {}),
  };
}
