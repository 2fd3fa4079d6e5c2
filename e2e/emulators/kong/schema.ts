import { createPublicKey, randomBytes } from "node:crypto";
import { newEntityId, now, type Entity, type EntityType, type Workspace } from "./store";

/**
 * Kong's entity schemas, as far as Meridian uses them: field types, required fields, defaults,
 * enumerations and foreign keys, with Kong's error shapes (schema violation, unique and
 * foreign-key violations). Unknown fields are refused as Kong refuses them.
 */

export class KongError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === "string" ? body.message : `HTTP ${status}`);
  }
}

export function schemaViolation(fields: Record<string, unknown>): KongError {
  const flat = Object.entries(fields).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  const message = flat.length === 1 ? `schema violation (${flat[0]})` : `${flat.length} schema violations (${flat.join("; ")})`;
  return new KongError(400, { code: 2, name: "schema violation", message, fields });
}

export const notFound = () => new KongError(404, { message: "Not found" });

type Check = (value: unknown, entity: Record<string, unknown>) => string | Record<string, unknown> | undefined;

interface FieldSpec {
  required?: boolean;
  default?: () => unknown;
  check?: Check;
  /** A reference to another entity: { id } */
  fk?: EntityType;
  /** Set by Kong: refused on input only when it is not an id/timestamp the caller may send. */
  auto?: boolean;
}

const isString = (v: unknown) => (typeof v === "string" ? undefined : "expected a string");
const isInt =
  (min: number, max: number): Check =>
  (v) =>
    typeof v !== "number" || !Number.isInteger(v)
      ? "expected an integer"
      : v < min || v > max
        ? `value should be between ${min} and ${max}`
        : undefined;
const isBool: Check = (v) => (typeof v === "boolean" ? undefined : "expected a boolean");
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === "string" && values.includes(v) ? undefined : `expected one of: ${values.join(", ")}`;
const arrayOf =
  (item: Check): Check =>
  (v, e) => {
    if (!Array.isArray(v)) return "expected an array";
    const errors: Record<string, unknown> = {};
    v.forEach((x, i) => {
      const err = item(x, e);
      if (err) errors[String(i + 1)] = err;
    });
    return Object.keys(errors).length ? errors : undefined;
  };
const NAME = /^[A-Za-z0-9.\-_~]+$/;
const name: Check = (v) => isString(v) ?? (NAME.test(v as string) ? undefined : "invalid value: " + String(v));
const tag: Check = (v) =>
  isString(v) ??
  (/^[\x21-\x2b\x2d-\x2e\x30-\x7e]+$/.test(v as string)
    ? undefined
    : `invalid tag '${String(v)}': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences`);
const tags = arrayOf(tag);
const path: Check = (v) => {
  if (typeof v !== "string") return "expected a string";
  if (v.startsWith("~")) {
    try {
      new RegExp(v.slice(1));
      return undefined;
    } catch {
      return `invalid regex: '${v.slice(1)}'`;
    }
  }
  return v.startsWith("/") ? undefined : "should start with: / (fixed path) or ~/ (regex path)";
};
const METHOD = /^[A-Z]+$/;
const method: Check = (v) => isString(v) ?? (METHOD.test(v as string) ? undefined : "invalid value: " + String(v));
const PROTOCOLS = ["http", "https", "grpc", "grpcs", "tcp", "tls", "udp", "ws", "wss", "tls_passthrough"];

const common = (): Record<string, FieldSpec> => ({
  id: { auto: true, check: isString },
  created_at: { auto: true },
  updated_at: { auto: true },
  tags: { check: (v) => (v === null ? undefined : tags(v, {})) },
});

export const SCHEMAS: Record<EntityType, Record<string, FieldSpec>> = {
  services: {
    ...common(),
    name: { check: name },
    protocol: { default: () => "http", check: oneOf(...PROTOCOLS) },
    host: { required: true, check: isString },
    port: { default: () => 80, check: isInt(0, 65535) },
    path: {
      check: (v) => (v === null ? undefined : (isString(v) ?? ((v as string).startsWith("/") ? undefined : "should start with: /"))),
    },
    retries: { default: () => 5, check: isInt(0, 32767) },
    connect_timeout: { default: () => 60000, check: isInt(1, 2147483646) },
    write_timeout: { default: () => 60000, check: isInt(1, 2147483646) },
    read_timeout: { default: () => 60000, check: isInt(1, 2147483646) },
    enabled: { default: () => true, check: isBool },
  },
  routes: {
    ...common(),
    name: { check: name },
    protocols: { default: () => ["http", "https"], check: arrayOf(oneOf(...PROTOCOLS)) },
    methods: { check: (v) => (v === null ? undefined : arrayOf(method)(v, {})) },
    hosts: { check: (v) => (v === null ? undefined : arrayOf(isString)(v, {})) },
    paths: { check: (v) => (v === null ? undefined : arrayOf(path)(v, {})) },
    headers: {},
    strip_path: { default: () => true, check: isBool },
    preserve_host: { default: () => false, check: isBool },
    regex_priority: { default: () => 0, check: isInt(-2147483648, 2147483647) },
    https_redirect_status_code: { default: () => 426, check: isInt(100, 599) },
    path_handling: { default: () => "v0", check: oneOf("v0", "v1") },
    request_buffering: { default: () => true, check: isBool },
    response_buffering: { default: () => true, check: isBool },
    service: { fk: "services" },
  },
  consumers: {
    ...common(),
    username: { check: isString },
    custom_id: { check: isString },
  },
  plugins: {
    ...common(),
    name: { required: true, check: isString },
    enabled: { default: () => true, check: isBool },
    protocols: { default: () => ["grpc", "grpcs", "http", "https"], check: arrayOf(oneOf(...PROTOCOLS)) },
    config: { default: () => ({}) },
    service: { fk: "services" },
    route: { fk: "routes" },
    consumer: { fk: "consumers" },
  },
  keyauth_credentials: {
    ...common(),
    key: { default: () => randomBytes(16).toString("hex"), check: isString },
    consumer: { fk: "consumers", required: true },
    ttl: {},
  },
  jwt_secrets: {
    ...common(),
    key: { default: () => randomBytes(16).toString("hex"), check: isString },
    secret: { default: () => randomBytes(16).toString("hex"), check: isString },
    algorithm: {
      default: () => "HS256",
      check: oneOf("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"),
    },
    rsa_public_key: { check: isString },
    consumer: { fk: "consumers", required: true },
  },
  acls: {
    ...common(),
    group: { required: true, check: isString },
    consumer: { fk: "consumers", required: true },
  },
};

/** Unique fields per type (a value taken by another entity answers 409). */
export const UNIQUE: Partial<Record<EntityType, string[]>> = {
  services: ["name"],
  routes: ["name"],
  consumers: ["username", "custom_id"],
  keyauth_credentials: ["key"],
  jwt_secrets: ["key"],
};

const PLUGIN_CONFIGS: Record<string, Record<string, Check>> = {
  jwt: {
    key_claim_name: isString,
    claims_to_verify: arrayOf(oneOf("exp", "nbf")),
    header_names: arrayOf(isString),
    uri_param_names: arrayOf(isString),
    cookie_names: arrayOf(isString),
    secret_is_base64: isBool,
    maximum_expiration: isInt(0, 31536000),
    run_on_preflight: isBool,
    anonymous: isString,
  },
  "key-auth": {
    key_names: arrayOf(isString),
    key_in_header: isBool,
    key_in_query: isBool,
    key_in_body: isBool,
    hide_credentials: isBool,
    run_on_preflight: isBool,
    anonymous: isString,
  },
  acl: { allow: arrayOf(isString), deny: arrayOf(isString), hide_groups_header: isBool, always_use_authenticated_groups: isBool },
  cors: {
    origins: arrayOf(isString),
    methods: arrayOf(oneOf("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT")),
    headers: arrayOf(isString),
    exposed_headers: arrayOf(isString),
    credentials: isBool,
    max_age: isInt(0, 2147483647),
    preflight_continue: isBool,
    private_network: isBool,
  },
  "rate-limiting": {
    second: isInt(0, 2147483647),
    minute: isInt(0, 2147483647),
    hour: isInt(0, 2147483647),
    day: isInt(0, 2147483647),
    month: isInt(0, 2147483647),
    year: isInt(0, 2147483647),
    limit_by: oneOf("consumer", "credential", "ip", "service", "header", "path", "consumer-group"),
    policy: oneOf("local", "cluster", "redis"),
    fault_tolerant: isBool,
    hide_client_headers: isBool,
    error_code: isInt(0, 599),
    error_message: isString,
  },
  "request-transformer": {
    http_method: isString,
    remove: (v) => (v && typeof v === "object" ? undefined : "expected a record"),
    rename: (v) => (v && typeof v === "object" ? undefined : "expected a record"),
    replace: (v) => {
      if (!v || typeof v !== "object") return "expected a record";
      const uri = (v as Record<string, unknown>).uri;
      return uri === undefined || typeof uri === "string" ? undefined : { uri: "expected a string" };
    },
    add: (v) => (v && typeof v === "object" ? undefined : "expected a record"),
    append: (v) => (v && typeof v === "object" ? undefined : "expected a record"),
  },
};

function checkPluginConfig(pluginName: string, config: unknown, entity: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = PLUGIN_CONFIGS[pluginName];
  if (!spec) return { name: `plugin '${pluginName}' not enabled; add it to the 'plugins' configuration property` };
  if (!config || typeof config !== "object" || Array.isArray(config)) return { config: "expected a record" };
  const errors: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null) continue;
    if (!spec[k]) errors[k] = "unknown field";
    else {
      const err = spec[k](v, entity);
      if (err) errors[k] = err;
    }
  }
  const c = config as Record<string, unknown>;
  if (pluginName === "rate-limiting" && !["second", "minute", "hour", "day", "month", "year"].some((k) => typeof c[k] === "number"))
    errors["@entity"] = [
      "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'",
    ];
  if (pluginName === "acl" && !!c.allow === !!c.deny)
    errors["@entity"] = ["exactly one of these fields must be non-empty: 'config.allow', 'config.deny'"];
  return Object.keys(errors).length ? { config: errors } : undefined;
}

function checkPem(pem: unknown): string | undefined {
  if (typeof pem !== "string") return "expected a string";
  try {
    createPublicKey(pem);
    return undefined;
  } catch {
    return "invalid key";
  }
}

/**
 * Validates an entity as Kong would and fills its defaults. `base` is the stored entity for
 * PATCH (merged) or undefined for POST/PUT (replaced). `parent` fixes a foreign key from the URL.
 */
export function validate(
  ws: Workspace,
  type: EntityType,
  input: unknown,
  options: { id?: string; base?: Entity; parent?: { field: string; id: string } } = {},
): Entity {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw schemaViolation({ "@entity": ["expected a record"] });
  const spec = SCHEMAS[type];
  const body = { ...(options.base ?? {}), ...(input as Record<string, unknown>) } as Record<string, unknown>;
  if (options.parent) body[options.parent.field] = { id: options.parent.id };
  // `url` is a shorthand of services: protocol, host, port and path at once.
  if (type === "services" && typeof body.url === "string") {
    try {
      const u = new URL(body.url);
      body.protocol = u.protocol.replace(":", "");
      body.host = u.hostname;
      body.port = u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
      body.path = u.pathname === "/" && !body.url.endsWith("/") ? null : u.pathname;
    } catch {
      throw schemaViolation({ url: "missing host in url" });
    }
    delete body.url;
  }
  const errors: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!spec[key]) errors[key] = "unknown field";
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    let value = body[key];
    if (value === undefined || value === null) {
      if (f.required && value === undefined) {
        errors[key] = "required field missing";
        continue;
      }
      value = f.default && value === undefined ? f.default() : (value ?? null);
    } else if (f.fk) {
      const id = (value as { id?: unknown }).id;
      if (typeof value !== "object" || typeof id !== "string") errors[key] = { id: "expected a string" };
      else {
        const target = ws.entities[f.fk].get(id) ?? [...ws.entities[f.fk].values()].find((e) => e.name === id || e.username === id);
        if (!target)
          throw new KongError(400, {
            code: 3,
            name: "foreign key violation",
            message: `the foreign key '{id="${id}"}' does not reference an existing '${f.fk}' entity.`,
            fields: { [key]: { id } },
          });
        value = { id: target.id };
      }
    } else if (f.check) {
      const err = f.check(value, body);
      if (err) errors[key] = err;
    }
    if (!f.auto) out[key] = value;
  }
  if (type === "routes") {
    const protocols = (out.protocols as string[]) ?? [];
    const has = (k: string) => Array.isArray(out[k]) && (out[k] as unknown[]).length > 0;
    if (protocols.some((p) => p === "http" || p === "https") && !["methods", "hosts", "headers", "paths"].some(has))
      errors["@entity"] = ["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"];
  }
  if (type === "consumers" && !out.username && !out.custom_id)
    errors["@entity"] = ["at least one of these fields must be non-empty: 'custom_id', 'username'"];
  if (type === "plugins" && typeof out.name === "string") {
    const err = checkPluginConfig(out.name, out.config, out);
    if (err) Object.assign(errors, err);
  }
  if (type === "jwt_secrets" && typeof out.algorithm === "string" && /^(RS|ES|PS|Ed)/.test(out.algorithm)) {
    const err = out.rsa_public_key === null ? `required for algorithm ${out.algorithm}` : checkPem(out.rsa_public_key);
    if (err) errors.rsa_public_key = err;
  }
  if (Object.keys(errors).length) throw schemaViolation(errors);
  const t = now();
  return {
    ...out,
    id: options.id ?? options.base?.id ?? (typeof body.id === "string" ? body.id : newEntityId()),
    created_at: options.base?.created_at ?? t,
    updated_at: t,
    tags: (out.tags as string[] | null) ?? null,
  } as Entity;
}

/** 409 when another entity holds a unique value (or the same plugin is configured twice on one scope). */
export function checkUnique(ws: Workspace, type: EntityType, entity: Entity): void {
  for (const f of UNIQUE[type] ?? []) {
    if (entity[f] === null || entity[f] === undefined) continue;
    const other = [...ws.entities[type].values()].find((e) => e.id !== entity.id && e[f] === entity[f]);
    if (other)
      throw new KongError(409, {
        code: 5,
        name: "unique constraint violation",
        message: `UNIQUE violation detected on '{${f}="${String(entity[f])}"}'`,
        fields: { [f]: entity[f] },
      });
  }
  const refId = (v: unknown) => (v as { id?: string } | null)?.id ?? null;
  if (type === "plugins") {
    const clash = [...ws.entities.plugins.values()].find(
      (p) =>
        p.id !== entity.id &&
        p.name === entity.name &&
        refId(p.route) === refId(entity.route) &&
        refId(p.service) === refId(entity.service) &&
        refId(p.consumer) === refId(entity.consumer),
    );
    if (clash) {
      const key = `{consumer=${refId(entity.consumer) ?? "null"},name="${String(entity.name)}",route=${refId(entity.route) ?? "null"},service=${refId(entity.service) ?? "null"}}`;
      throw new KongError(409, {
        code: 5,
        name: "unique constraint violation",
        message: `UNIQUE violation detected on '${key}'`,
        fields: {},
      });
    }
  }
  if (type === "acls") {
    const clash = [...ws.entities.acls.values()].find(
      (a) => a.id !== entity.id && a.group === entity.group && refId(a.consumer) === refId(entity.consumer),
    );
    if (clash)
      throw new KongError(409, {
        code: 5,
        name: "unique constraint violation",
        message: `UNIQUE violation detected on '{consumer={id="${refId(entity.consumer)}"},group="${String(entity.group)}"}'`,
        fields: {},
      });
  }
}

/** What refers to an entity: Kong refuses to delete a service that routes still use; the rest cascade. */
export const REFERENCES: Record<EntityType, Array<{ type: EntityType; field: string; cascade: boolean }>> = {
  services: [
    { type: "routes", field: "service", cascade: false },
    { type: "plugins", field: "service", cascade: true },
  ],
  routes: [{ type: "plugins", field: "route", cascade: true }],
  consumers: [
    { type: "plugins", field: "consumer", cascade: true },
    { type: "keyauth_credentials", field: "consumer", cascade: true },
    { type: "jwt_secrets", field: "consumer", cascade: true },
    { type: "acls", field: "consumer", cascade: true },
  ],
  plugins: [],
  keyauth_credentials: [],
  jwt_secrets: [],
  acls: [],
};

export function remove(ws: Workspace, type: EntityType, id: string): void {
  for (const ref of REFERENCES[type]) {
    const users = [...ws.entities[ref.type].values()].filter((e) => (e[ref.field] as { id?: string } | null)?.id === id);
    if (users.length && !ref.cascade)
      throw new KongError(400, {
        code: 3,
        name: "foreign key violation",
        message: `an existing '${ref.type}' entity references this '${type}' entity`,
        fields: { "@referenced_by": ref.type },
      });
  }
  for (const ref of REFERENCES[type])
    for (const e of [...ws.entities[ref.type].values()])
      if ((e[ref.field] as { id?: string } | null)?.id === id) remove(ws, ref.type, e.id);
  ws.entities[type].delete(id);
}
