import { parse as parseYaml } from "yaml";
import { ConnectorError } from "../types";
import { errorOf, type KongClient } from "./client";
import { kongMode } from "./descriptor";

/**
 * One way to read and write Kong's entities whichever way Kong runs: with a database (or
 * Konnect) every write is one Admin API call; DB-less, the whole declarative configuration is
 * read once, edited in memory and posted back to /config in one go, which Kong applies
 * atomically or not at all.
 */

export type EntityType = "services" | "routes" | "plugins" | "consumers" | "keyauth_credentials" | "jwt_secrets" | "acls";
export type Entity = Record<string, unknown> & { id: string; tags?: string[] | null };

const TOP: Record<EntityType, string> = {
  services: "services",
  routes: "routes",
  plugins: "plugins",
  consumers: "consumers",
  keyauth_credentials: "key-auths",
  jwt_secrets: "jwts",
  acls: "acls",
};
const NESTED: Partial<Record<EntityType, string>> = { keyauth_credentials: "key-auth", jwt_secrets: "jwt", acls: "acls" };
const FK = ["service", "route", "consumer"] as const;
const ORDER: EntityType[] = ["services", "routes", "consumers", "plugins", "keyauth_credentials", "jwt_secrets", "acls"];

export const refId = (v: unknown): string | null => (typeof v === "string" ? v : ((v as { id?: string } | null | undefined)?.id ?? null));

export interface KongWriter {
  /** true: writes take effect one by one and a failure must be undone by the caller; false: nothing applies before commit. */
  readonly immediate: boolean;
  get(type: EntityType, id: string): Promise<Entity | undefined>;
  /** Every entity of a type carrying `tag`. */
  list(type: EntityType, tag: string): Promise<Entity[]>;
  put(type: EntityType, entity: Entity): Promise<void>;
  del(type: EntityType, entity: Entity): Promise<void>;
  commit(): Promise<void>;
}

/** The body of a write: no timestamps, foreign keys as { id }. */
function body(entity: Entity): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = entity;
  for (const f of FK) if (rest[f] !== undefined && rest[f] !== null) rest[f] = { id: refId(rest[f]) };
  return rest;
}

function entityPath(type: EntityType, entity: Entity): string {
  const nested = NESTED[type];
  if (nested) return `/consumers/${refId(entity.consumer)}/${nested}/${entity.id}`;
  return `/${TOP[type]}/${entity.id}`;
}

function databaseWriter(kong: KongClient): KongWriter {
  return {
    immediate: true,
    async get(type, id) {
      const res = await kong.call("GET", `/${TOP[type]}/${encodeURIComponent(id)}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw errorOf(res, `reading ${type} ${id}`, kong.config);
      return JSON.parse(res.body) as Entity;
    },
    list: (type, tag) => kong.listAll<Entity>(`/${TOP[type]}`, `listing ${type} tagged ${tag}`, { tags: tag }),
    async put(type, entity) {
      await kong.must(
        "PUT",
        entityPath(type, entity),
        `writing ${type} ${String(entity.name ?? entity.username ?? entity.id)}`,
        body(entity),
      );
    },
    async del(type, entity) {
      const res = await kong.call("DELETE", entityPath(type, entity));
      if (res.status !== 204 && res.status !== 200 && res.status !== 404) throw errorOf(res, `deleting ${type} ${entity.id}`, kong.config);
    },
    async commit() {},
  };
}

function declarativeWriter(kong: KongClient): KongWriter {
  let doc: Record<string, unknown> | undefined;
  const lists = new Map<EntityType, Map<string, Entity>>();
  let loading: Promise<void> | undefined;
  // Concurrent readers share one GET /config.
  const load = () =>
    (loading ??= read().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  async function read() {
    const res = await kong.call("GET", "/config");
    if (res.status !== 200) throw errorOf(res, "reading the declarative configuration", kong.config);
    const text = (JSON.parse(res.body) as { config?: unknown }).config;
    const parsed = (typeof text === "string" ? parseYaml(text) : text) as Record<string, unknown> | null;
    doc = parsed ?? { _format_version: "3.0" };
    for (const type of ORDER) {
      const map = new Map<string, Entity>();
      for (const e of (doc[type] as Entity[] | undefined) ?? []) map.set(e.id, e);
      lists.set(type, map);
    }
  }
  return {
    immediate: false,
    async get(type, id) {
      await load();
      const list = lists.get(type)!;
      // As the Admin API does: an id, else a service's or route's name, or a consumer's username.
      return list.get(id) ?? [...list.values()].find((e) => (type === "consumers" ? e.username : e.name) === id);
    },
    async list(type, tag) {
      await load();
      return [...lists.get(type)!.values()].filter((e) => e.tags?.includes(tag));
    },
    async put(type, entity) {
      await load();
      const flat: Entity = { ...entity };
      for (const f of FK) if (flat[f] !== undefined && flat[f] !== null) flat[f] = refId(flat[f]);
      lists.get(type)!.set(entity.id, flat);
    },
    async del(type, entity) {
      await load();
      lists.get(type)!.delete(entity.id);
      // Kong cascades: what referred to the entity goes with it.
      const field = type === "services" ? "service" : type === "routes" ? "route" : type === "consumers" ? "consumer" : undefined;
      if (field)
        for (const t of ORDER) for (const e of [...lists.get(t)!.values()]) if (refId(e[field]) === entity.id) lists.get(t)!.delete(e.id);
    },
    async commit() {
      if (!doc) return;
      const out: Record<string, unknown> = { ...doc, _format_version: "3.0" };
      for (const type of ORDER) {
        const list = [...lists.get(type)!.values()];
        if (list.length) out[type] = list;
        else delete out[type];
      }
      const res = await kong.call("POST", "/config?flatten_errors=1", out);
      if (res.status !== 201 && res.status !== 200) {
        const failure = errorOf(res, "posting the declarative configuration", kong.config);
        const flattened = (JSON.parse(res.body || "{}") as { flattened_errors?: Array<Record<string, unknown>> }).flattened_errors;
        if (flattened?.length) {
          failure.message = `Kong refused the declarative configuration: ${flattened
            .slice(0, 5)
            .map(
              (f) =>
                `${String(f.entity_type)} ${String(f.entity_name ?? f.entity_id ?? "")}: ${(
                  (f.errors as Array<{ field?: string; message: string }>) ?? []
                )
                  .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
                  .join("; ")}`,
            )
            .join(" | ")}`;
        }
        throw failure;
      }
      doc = undefined;
      loading = undefined;
      lists.clear();
    },
  };
}

export function kongWriter(kong: KongClient): KongWriter {
  return kongMode(kong.config) === "dbless" ? declarativeWriter(kong) : databaseWriter(kong);
}

/** Meridian never changes an entity that is not its own. */
export function assertOwned(existing: Entity | undefined, what: string): void {
  if (existing && !existing.tags?.includes("meridian"))
    throw new ConnectorError("conflict", `Kong already has ${what} (id ${existing.id}) that Meridian did not write: it is left alone.`);
}
