import { contentHash } from "../aws/content-hash";
import { apiTag } from "./entities";
import { refId, type Entity, type KongWriter } from "./writer";

/** The API's own entities, as Kong holds them now: consumer-scoped plugins belong to key sync and are not among them. */
export async function ownedEntities(w: KongWriter, apiId: string) {
  const tag = apiTag(apiId);
  const [services, routes, plugins] = await Promise.all([w.list("services", tag), w.list("routes", tag), w.list("plugins", tag)]);
  return { services, routes, plugins: plugins.filter((p) => !refId(p.consumer)) };
}

export type OwnedEntities = Awaited<ReturnType<typeof ownedEntities>>;

const stripTimes = (e: Entity) => {
  const { created_at: _c, updated_at: _u, ...rest } = e;
  return rest;
};

/** A hash of entities as Kong holds them, timestamps left out, in id order: equal configurations give equal hashes. */
export function hashOf(services: Entity[], routes: Entity[], plugins: Entity[]): string {
  const sorted = (list: Entity[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1)).map(stripTimes);
  return contentHash({ services: sorted(services), routes: sorted(routes), plugins: sorted(plugins) });
}
