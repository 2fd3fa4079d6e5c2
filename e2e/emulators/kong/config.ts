import { createHash } from "node:crypto";
import { checkUnique, KongError, validate } from "./schema";
import { ENTITY_TYPES, Workspace, type Entity, type EntityType } from "./store";

/**
 * DB-less Kong: one declarative configuration (`_format_version` 3.0) posted to /config replaces
 * every entity at once, or nothing changes. Nested (decK's form) and flat entities with foreign
 * keys as ids or names are both read; errors come back flattened, one per entity.
 */

const NESTED_KEYS: Record<string, EntityType> = {
  routes: "routes",
  plugins: "plugins",
  keyauth_credentials: "keyauth_credentials",
  jwt_secrets: "jwt_secrets",
  acls: "acls",
};
const FK_OF: Record<string, string> = { services: "service", routes: "route", consumers: "consumer" };
const FK_FIELDS = ["service", "route", "consumer"] as const;
const FK_TYPE: Record<string, EntityType> = { service: "services", route: "routes", consumer: "consumers" };

interface Pending {
  type: EntityType;
  raw: Record<string, unknown>;
}

function flatten(doc: Record<string, unknown>): Pending[] {
  const out: Pending[] = [];
  const walk = (type: EntityType, raw: unknown, parent?: { field: string; id: unknown }) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      out.push({ type, raw: { __invalid: raw } });
      return;
    }
    const own: Record<string, unknown> = {};
    const children: Array<[EntityType, unknown[]]> = [];
    for (const [k, v] of Object.entries(raw)) {
      if (NESTED_KEYS[k] && Array.isArray(v) && FK_OF[type]) children.push([NESTED_KEYS[k], v]);
      else own[k] = v;
    }
    if (parent) own[parent.field] = parent.id;
    // Nested entities need their parent's id: give one when the file leaves it out.
    if (children.length && typeof own.id !== "string") own.id = crypto.randomUUID();
    out.push({ type, raw: own });
    for (const [childType, list] of children) for (const child of list) walk(childType, child, { field: FK_OF[type], id: own.id });
  };
  for (const type of ENTITY_TYPES) {
    const list = doc[type];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      throw new KongError(400, {
        code: 14,
        name: "invalid declarative configuration",
        message: `declarative config is invalid: {${type}="expected an array"}`,
        fields: { [type]: "expected an array" },
        flattened_errors: [],
      });
    for (const item of list) walk(type, item);
  }
  return out;
}

/** Loads a declarative configuration into a fresh workspace; throws Kong's 400 with flattened errors. */
export function loadDeclarative(input: unknown): Workspace {
  let doc = input as Record<string, unknown>;
  if (doc && typeof doc === "object" && typeof doc.config === "string") {
    try {
      doc = JSON.parse(doc.config) as Record<string, unknown>;
    } catch {
      throw new KongError(400, {
        code: 14,
        name: "invalid declarative configuration",
        message: "failed parsing declarative configuration: expected an object",
        fields: {},
        flattened_errors: [],
      });
    }
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new KongError(400, {
      code: 14,
      name: "invalid declarative configuration",
      message: "expected an object",
      fields: {},
      flattened_errors: [],
    });
  const fields: Record<string, unknown> = {};
  if (!["1.1", "2.1", "3.0"].includes(String(doc._format_version)))
    fields._format_version = doc._format_version === undefined ? "required field missing" : "expected one of: 1.1, 2.1, 3.0";
  for (const k of Object.keys(doc)) if (!k.startsWith("_") && !(ENTITY_TYPES as readonly string[]).includes(k)) fields[k] = "unknown field";
  if (Object.keys(fields).length)
    throw new KongError(400, {
      code: 14,
      name: "invalid declarative configuration",
      message: `declarative config is invalid: ${JSON.stringify(fields)}`,
      fields,
      flattened_errors: [],
    });

  const pending = flatten(doc);
  const ws = new Workspace();
  const flattened: Array<Record<string, unknown>> = [];
  // Parents first: services, routes, consumers, then what refers to them (ENTITY_TYPES order).
  for (const type of ENTITY_TYPES) {
    for (const p of pending.filter((x) => x.type === type)) {
      const raw = { ...p.raw };
      for (const f of FK_FIELDS) {
        const v = raw[f];
        if (typeof v === "string") raw[f] = { id: v };
      }
      try {
        if ("__invalid" in raw) throw new KongError(400, { fields: { "@entity": ["expected a record"] } });
        const entity = validate(ws, type, raw);
        checkUnique(ws, type, entity);
        ws.entities[type].set(entity.id, entity);
      } catch (error) {
        if (!(error instanceof KongError)) throw error;
        const errs = (error.body.fields ?? {}) as Record<string, unknown>;
        flattened.push({
          entity_type: type.replace(/s$/, "").replace("keyauth_credential", "keyauth_credentials"),
          ...(typeof raw.name === "string" ? { entity_name: raw.name } : {}),
          ...(typeof raw.id === "string" ? { entity_id: raw.id } : {}),
          entity_tags: Array.isArray(raw.tags) ? raw.tags : null,
          entity: raw,
          errors: Object.keys(errs).length
            ? Object.entries(errs).map(([field, message]) => ({
                type: field === "@entity" ? "entity" : "field",
                field,
                message: typeof message === "string" ? message : JSON.stringify(message),
              }))
            : [{ type: "entity", message: error.message }],
        });
      }
    }
  }
  if (flattened.length)
    throw new KongError(400, {
      code: 14,
      name: "invalid declarative configuration",
      message: `declarative config is invalid: ${flattened.length} entit${flattened.length === 1 ? "y" : "ies"} failed validation`,
      fields: {},
      flattened_errors: flattened,
    });
  return ws;
}

/** The workspace as Kong's GET /config gives it: flat entities, foreign keys as ids. */
export function exportDeclarative(ws: Workspace): Record<string, unknown> {
  const doc: Record<string, unknown> = { _format_version: "3.0", _transform: false };
  for (const type of ENTITY_TYPES) {
    const list = ws.list(type).map((e: Entity) => {
      const { created_at: _c, updated_at: _u, ...rest } = e;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rest)) {
        if (v === null) continue;
        out[k] = FK_TYPE[k] && v && typeof v === "object" ? (v as { id: string }).id : v;
      }
      return out;
    });
    if (list.length) doc[type] = list;
  }
  return doc;
}

export const configHash = (doc: unknown) => createHash("md5").update(JSON.stringify(doc)).digest("hex");
