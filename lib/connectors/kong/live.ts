import type { ConnectorConfig, DeploymentRef, LiveState, PlanArtifact } from "../types";
import { errorOf, kongClient, type KongClient } from "./client";
import { kongConfigSchema } from "./descriptor";
import { kongName } from "./entities";
import { refId, type Entity } from "./writer";

const TIER_TAG = "meridian-tier:";
/** Route plugin listings at once: reads, cheaper for Kong than the deploy's writes (6 at once). */
const READ_CONCURRENCY = 8;

/** An entity as a drift check compares it: what Kong stamps on every write (ids, times) and the owner it is filed under left out. */
function comparable(e: Entity): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, service: _s, route: _r, ...rest } = e;
  return rest;
}

const routeLabel = (r: Entity) => String(r.name ?? r.id);

/** Whether a subscriber's rate-limiting config still carries the tier's limits (Kong adds defaults beside them). */
const carries = (live: unknown, wanted: Record<string, unknown>) =>
  Object.entries(wanted).every(
    ([k, v]) => JSON.stringify((live as Record<string, unknown> | undefined)?.[k] ?? null) === JSON.stringify(v),
  );

async function mapFew<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return out;
}

/**
 * What Kong serves for a deployment, as artifacts a drift check compares: the service, every
 * route under it with its methods and paths, the plugins on the service and on each route
 * (Meridian's and anyone else's, since all of them act on its traffic), and per tier the
 * subscribers whose rate limit no longer matches it. Subscribers coming and going (consumers,
 * credentials, ACL entries) are key synchronisation's business, not drift. The same reads work
 * with a database, DB-less (the Admin API reads the declarative configuration) and on Konnect.
 */
export async function readLiveKong(raw: ConnectorConfig, ref: DeploymentRef, signal?: AbortSignal): Promise<LiveState> {
  const config = kongConfigSchema.parse(raw);
  const kong = kongClient(config, signal);
  const serviceId = ref.ids.serviceId;
  const serviceLabel = ref.ids.serviceName ?? serviceId;
  // Three reads at once (a read-back follows every deploy): the nested listings fail when the service is gone, which the first read says.
  const settled = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  const [res, routesRead, pluginsRead] = await Promise.all([
    kong.call("GET", `/services/${encodeURIComponent(serviceId)}`),
    settled(kong.listAll<Entity>(`/services/${serviceId}/routes`, `listing the routes of service ${serviceLabel}`)),
    settled(kong.listAll<Entity>(`/services/${serviceId}/plugins`, `listing the plugins of service ${serviceLabel}`)),
  ]);
  if (res.status === 404) return { exists: false, artifacts: [], reason: `Service ${serviceLabel} no longer exists on Kong.` };
  if (res.status !== 200) throw errorOf(res, `reading service ${serviceLabel}`, config);
  if ("error" in routesRead) throw routesRead.error;
  if ("error" in pluginsRead) throw pluginsRead.error;
  const service = JSON.parse(res.body) as Entity;
  const routes = routesRead.value;
  const servicePlugins = pluginsRead.value;
  const routePlugins = await mapFew(routes, (r) => listRoutePlugins(kong, r));

  const artifacts: PlanArtifact[] = [
    { kind: "service", name: String(service.name ?? serviceId), format: "json", content: comparable(service) },
  ];
  for (const r of routes) artifacts.push({ kind: "route", name: routeLabel(r), format: "json", content: comparable(r) });
  const tiered = servicePlugins.filter((p) => refId(p.consumer) && p.tags?.some((t) => t.startsWith(TIER_TAG)));
  for (const p of servicePlugins.filter((p) => !tiered.includes(p))) {
    const consumer = refId(p.consumer);
    artifacts.push({
      kind: "plugin",
      name: `${consumer ? `service, consumer ${consumer}` : "service"}: ${String(p.name)}`,
      format: "json",
      content: comparable(p),
    });
  }
  routes.forEach((r, i) => {
    for (const p of routePlugins[i]) {
      const consumer = refId(p.consumer);
      artifacts.push({
        kind: "plugin",
        name: `route ${routeLabel(r)}${consumer ? `, consumer ${consumer}` : ""}: ${String(p.name)}`,
        format: "json",
        content: comparable(p),
      });
    }
  });
  artifacts.push(...tierArtifacts(ref, tiered));
  return { exists: true, artifacts };
}

function listRoutePlugins(kong: KongClient, route: Entity): Promise<Entity[]> {
  return kong.listAll<Entity>(`/routes/${route.id}/plugins`, `listing the plugins of route ${routeLabel(route)}`);
}

/**
 * One artifact per tier of the revision (and per tier tag found that the revision no longer
 * has): the subscribers whose rate-limiting plugin has other limits than the tier's. Empty
 * lists whatever the number of subscribers, so subscriptions alone never look like drift.
 */
export function tierArtifacts(ref: DeploymentRef, tiered: Entity[]): PlanArtifact[] {
  const wanted = new Map<string, { tier: string; config: Record<string, unknown> }>();
  for (const [key, value] of Object.entries(ref.ids)) {
    if (!key.startsWith("tier:")) continue;
    const tier = key.slice("tier:".length);
    wanted.set(kongName(tier), { tier, config: JSON.parse(value) as Record<string, unknown> });
  }
  const off = new Map<string, string[]>([...wanted.values()].map((w) => [w.tier, []]));
  for (const p of tiered) {
    const tag = p.tags!.find((t) => t.startsWith(TIER_TAG))!.slice(TIER_TAG.length);
    const w = wanted.get(tag);
    const name = w?.tier ?? `${tag} (not a tier of this revision)`;
    if (w && carries(p.config, w.config)) continue;
    off.set(name, [...(off.get(name) ?? []), `consumer ${refId(p.consumer)}: ${JSON.stringify(p.config)}`]);
  }
  return [...off].map(([name, list]) => ({
    kind: "tier",
    name,
    format: "json" as const,
    content: { subscribersWithOtherLimits: list.sort() },
  }));
}
