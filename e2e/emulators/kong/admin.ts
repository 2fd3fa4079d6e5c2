import { checkUnique, KongError, notFound, remove, validate } from "./schema";
import type { Entity, EntityType, Workspace } from "./store";

/** Kong's Admin API over one workspace's entities: CRUD, nested collections, paging and tag filters. */

export interface AdminRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  /** DB-less Kong refuses every entity write outside /config. */
  readOnly: boolean;
  /** The path prefix of this workspace or control plane, for `next` links. */
  prefix: string;
  maxPageSize?: number;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
}

const TOP: Record<string, EntityType> = {
  services: "services",
  routes: "routes",
  consumers: "consumers",
  plugins: "plugins",
  "key-auths": "keyauth_credentials",
  jwts: "jwt_secrets",
  acls: "acls",
};
const NESTED: Record<string, EntityType> = {
  routes: "routes",
  plugins: "plugins",
  "key-auth": "keyauth_credentials",
  jwt: "jwt_secrets",
  acls: "acls",
};
const PARENT_FIELD: Partial<Record<EntityType, string>> = { services: "service", routes: "route", consumers: "consumer" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function find(ws: Workspace, type: EntityType, key: string): Entity | undefined {
  const byId = ws.entities[type].get(key);
  if (byId) return byId;
  if (UUID.test(key)) return undefined;
  const nameField = type === "consumers" ? "username" : type === "services" || type === "routes" ? "name" : undefined;
  return nameField ? [...ws.entities[type].values()].find((e) => e[nameField] === key) : undefined;
}

function hasTags(e: Entity, filter: string | null): boolean {
  if (!filter) return true;
  const tags = e.tags ?? [];
  if (filter.includes("/")) return filter.split("/").some((t) => tags.includes(t));
  return filter.split(",").every((t) => tags.includes(t));
}

function page(entities: Entity[], req: AdminRequest, path: string): AdminResponse {
  // A test may make pages smaller than asked, to exercise paging with a few entities.
  const limit = req.maxPageSize ?? 1000;
  const sizeText = req.query.get("size");
  const size = sizeText === null ? 100 : Number(sizeText);
  if (!Number.isInteger(size)) throw new KongError(400, { code: 9, name: "invalid size", message: "size must be a number" });
  if (size < 1 || size > 1000)
    throw new KongError(400, { code: 9, name: "invalid size", message: "size must be an integer between 1 and 1000" });
  const tags = req.query.get("tags");
  if (tags !== null && tags.includes(",") && tags.includes("/"))
    throw new KongError(400, {
      code: 2,
      name: "schema violation",
      message: "invalid option (tags: invalid filter syntax)",
      fields: { tags: "invalid filter syntax" },
    });
  const offsetText = req.query.get("offset");
  let start = 0;
  if (offsetText !== null) {
    const text = /^[A-Za-z0-9_-]+$/.test(offsetText) ? Buffer.from(offsetText, "base64url").toString("utf8") : "";
    const decoded = /^\d+$/.test(text) ? Number(text) : -1;
    if (decoded < 0)
      throw new KongError(400, { code: 7, name: "invalid offset", message: `'${offsetText}' is not a valid offset: bad base64 encoding` });
    start = decoded;
  }
  const matching = entities.filter((e) => hasTags(e, tags));
  const taken = Math.min(size, limit);
  const data = matching.slice(start, start + taken);
  const more = start + taken < matching.length;
  if (!more) return { status: 200, body: { data, next: null } };
  const offset = Buffer.from(String(start + taken)).toString("base64url");
  const q = new URLSearchParams(req.query);
  q.set("offset", offset);
  return { status: 200, body: { data, next: `${req.prefix}/${path}?${q}`, offset } };
}

function write(ws: Workspace, type: EntityType, entity: Entity): Entity {
  checkUnique(ws, type, entity);
  ws.entities[type].set(entity.id, entity);
  return entity;
}

function refuseReadOnly(req: AdminRequest, type: EntityType) {
  if (!req.readOnly || req.method === "GET") return;
  const verb = req.method === "POST" ? "create" : req.method === "DELETE" ? "delete" : "update";
  throw new KongError(405, { message: `cannot ${verb} '${type}' entities when not using a database` });
}

export function routeAdmin(ws: Workspace, req: AdminRequest): AdminResponse {
  const [top, key, sub, subKey, ...rest] = req.segments;
  const type = TOP[top];
  if (!type || rest.length) throw notFound();

  // /collection
  if (key === undefined) {
    refuseReadOnly(req, type);
    if (req.method === "GET") return page(ws.list(type), req, top);
    if (req.method === "POST") {
      if (type === "keyauth_credentials" || type === "jwt_secrets" || type === "acls")
        throw new KongError(405, { message: "Method not allowed" });
      return { status: 201, body: write(ws, type, validate(ws, type, req.body)) };
    }
    throw new KongError(405, { message: "Method not allowed" });
  }

  // /collection/{id or name}
  if (sub === undefined) {
    refuseReadOnly(req, type);
    const current = find(ws, type, key);
    if (req.method === "GET") {
      if (!current) throw notFound();
      return { status: 200, body: current };
    }
    if (req.method === "DELETE") {
      if (current) remove(ws, type, current.id);
      return { status: 204 };
    }
    if (req.method === "PUT") {
      const byName = !UUID.test(key);
      const nameField = type === "consumers" ? "username" : "name";
      const input = { ...(req.body as Record<string, unknown>), ...(byName ? { [nameField]: key } : {}) };
      const entity = validate(ws, type, input, { id: current?.id ?? (byName ? undefined : key) });
      if (current) entity.created_at = current.created_at;
      return { status: 200, body: write(ws, type, entity) };
    }
    if (req.method === "PATCH") {
      if (!current) throw notFound();
      return { status: 200, body: write(ws, type, validate(ws, type, req.body, { base: current })) };
    }
    throw new KongError(405, { message: "Method not allowed" });
  }

  // /parent/{id}/collection[/{id}]
  const childType = NESTED[sub];
  const parentField = PARENT_FIELD[type];
  if (!childType || !parentField) throw notFound();
  refuseReadOnly(req, childType);
  const parent = find(ws, type, key);
  if (!parent) throw notFound();
  const ofParent = () => ws.list(childType).filter((e) => (e[parentField] as { id?: string } | null)?.id === parent.id);
  const parentRef = { field: parentField, id: parent.id };
  if (subKey === undefined) {
    if (req.method === "GET") return page(ofParent(), req, `${top}/${key}/${sub}`);
    if (req.method === "POST") return { status: 201, body: write(ws, childType, validate(ws, childType, req.body, { parent: parentRef })) };
    throw new KongError(405, { message: "Method not allowed" });
  }
  const child = ofParent().find(
    (e) =>
      e.id === subKey || (childType === "keyauth_credentials" && e.key === subKey) || (childType === "jwt_secrets" && e.key === subKey),
  );
  if (req.method === "GET") {
    if (!child) throw notFound();
    return { status: 200, body: child };
  }
  if (req.method === "DELETE") {
    if (child) remove(ws, childType, child.id);
    return { status: 204 };
  }
  if (req.method === "PUT") {
    if (!child && !UUID.test(subKey)) throw notFound();
    const other = ws.entities[childType].get(subKey);
    if (!child && other) throw notFound();
    const entity = validate(ws, childType, req.body, { id: child?.id ?? subKey, parent: parentRef });
    if (child) entity.created_at = child.created_at;
    return { status: 200, body: write(ws, childType, entity) };
  }
  if (req.method === "PATCH") {
    if (!child) throw notFound();
    return { status: 200, body: write(ws, childType, validate(ws, childType, req.body, { base: child, parent: parentRef })) };
  }
  throw new KongError(405, { message: "Method not allowed" });
}
