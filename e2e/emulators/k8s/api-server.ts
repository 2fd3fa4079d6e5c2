import { parse as parseYaml } from "yaml";
import { validate } from "./validate";
import { RESOURCE_TYPES, storeKey, type K8sStore, type Obj, type ResourceType } from "./store";

export interface ApiAnswer {
  status: number;
  body: unknown;
}

type Json = Record<string, unknown>;

export function status(code: number, reason: string, message: string, details?: Json): ApiAnswer {
  return {
    status: code,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code },
  };
}

const groupVersion = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version);
const qualified = (t: ResourceType) => (t.group ? `${t.plural}.${t.group}` : t.plural);

function resourceList(types: ResourceType[], gv: string): Json {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: types.map((t) => ({
      name: t.plural,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    })),
  };
}

/** Discovery documents: /api, /api/v1, /apis, /apis/<group>/<version>. */
function discovery(path: string): ApiAnswer | undefined {
  if (path === "/api") return { status: 200, body: { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] } };
  if (path === "/api/v1")
    return {
      status: 200,
      body: resourceList(
        RESOURCE_TYPES.filter((t) => !t.group),
        "v1",
      ),
    };
  const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group).map((t) => groupVersion(t)))];
  if (path === "/apis")
    return {
      status: 200,
      body: {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: groups.map((gv) => {
          const [name, version] = gv.split("/");
          return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        }),
      },
    };
  const gv = path.replace(/^\/apis\//, "");
  if (path.startsWith("/apis/") && groups.includes(gv))
    return {
      status: 200,
      body: resourceList(
        RESOURCE_TYPES.filter((t) => groupVersion(t) === gv),
        gv,
      ),
    };
  return undefined;
}

/** Fields the caller cannot set: what the server owns. */
function stripServerFields(obj: Obj): void {
  delete obj.status;
  for (const f of ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"] as const) delete obj.metadata[f];
}

const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Leaf paths of an applied configuration (lists are atomic: one leaf). */
function leaves(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (isObject(value)) for (const [k, v] of Object.entries(value)) for (const [p, x] of leaves(v, `${prefix}.${k}`)) out.set(p, x);
  else out.set(prefix, JSON.stringify(value));
  return out;
}

function removePath(obj: Json, path: string): void {
  const parts = path.split(".").filter(Boolean);
  let cur: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(cur)) return;
    cur = cur[p];
  }
  if (isObject(cur)) delete cur[parts[parts.length - 1]];
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

/**
 * Server-side apply, simplified: a manager's fields are what it applied last; applying again
 * sets the new ones and removes those it no longer applies. A field another manager applied
 * with a different value is a conflict unless `force` is set, which takes it over.
 */
function apply(store: K8sStore, key: string, existing: Obj | undefined, applied: Obj, manager: string, force: boolean): ApiAnswer | Obj {
  const mine = `${key}|${manager}`;
  const previous = store.applied.get(mine);
  const configured = leaves({ ...applied, metadata: { labels: applied.metadata.labels, annotations: applied.metadata.annotations } });
  const conflicts: Array<{ field: string; manager: string }> = [];
  for (const [k, owned] of store.applied) {
    if (!k.startsWith(`${key}|`) || k === mine) continue;
    for (const [path, value] of leaves(owned)) {
      if (configured.has(path) && configured.get(path) !== value) conflicts.push({ field: path, manager: k.slice(key.length + 1) });
    }
  }
  if (conflicts.length && !force) {
    return status(
      409,
      "Conflict",
      `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join("; ")}`,
      { causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.manager}"`, field: c.field })) },
    );
  }
  let result: Json = existing ? (JSON.parse(JSON.stringify(existing)) as Json) : {};
  if (previous) for (const path of leaves(previous).keys()) if (!configured.has(path)) removePath(result, path);
  result = deepMerge(result, applied) as Json;
  const ownedNow = JSON.parse(JSON.stringify(applied)) as Json;
  delete (ownedNow.metadata as Json).name;
  delete (ownedNow.metadata as Json).namespace;
  store.applied.set(mine, ownedNow);
  if (force)
    for (const c of conflicts) {
      const other = store.applied.get(`${key}|${c.manager}`);
      if (other) removePath(other, c.field);
    }
  return result as Obj;
}

export interface Request {
  method: string;
  url: URL;
  contentType: string;
  text: string;
}

/** The Kubernetes API for the kinds in RESOURCE_TYPES: get, list (paged), create, update, patch, apply, delete. */
export function handleApi(store: K8sStore, req: Request, pageSize: number, onWrite: () => void): ApiAnswer {
  const path = req.url.pathname.replace(/\/+$/, "");
  if (req.method === "GET") {
    const d = discovery(path);
    if (d) return d;
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(path);
  if (!m) return status(404, "NotFound", "the server could not find the requested resource");
  const [, coreVersion, group = "", groupVer, namespace, plural, name, sub] = m;
  const version = coreVersion ?? groupVer;
  const type = RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
  const ns = namespace;
  let objName = name;
  if (!type || (type.namespaced && !ns && objName)) return status(404, "NotFound", "the server could not find the requested resource");
  if (type.namespaced && ns && !store.objects.has(storeKey(RESOURCE_TYPES[0], undefined, ns)) && req.method !== "GET")
    return status(404, "NotFound", `namespaces "${ns}" not found`, { name: ns, kind: "namespaces" });
  const notFound = () =>
    status(404, "NotFound", `${qualified(type!)} "${objName}" not found`, { name: objName, group: type!.group, kind: type!.plural });
  const key = objName ? storeKey(type, type.namespaced ? ns : undefined, objName) : "";
  const existing = key ? store.objects.get(key) : undefined;
  const q = req.url.searchParams;

  if (req.method === "GET" && !objName) return list(store, type, ns, q, pageSize);
  if (req.method === "GET") return existing ? { status: 200, body: existing } : notFound();
  if (req.method === "DELETE") {
    if (!existing) return notFound();
    store.objects.delete(key);
    for (const k of [...store.applied.keys()]) if (k.startsWith(`${key}|`)) store.applied.delete(k);
    store.resourceVersion++;
    onWrite();
    return {
      status: 200,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Success",
        details: { name: objName, group: type.group, kind: type.plural, uid: existing.metadata.uid },
      },
    };
  }

  let body: Obj;
  try {
    body = (req.contentType.includes("yaml") ? parseYaml(req.text) : JSON.parse(req.text)) as Obj;
  } catch (error) {
    return status(400, "BadRequest", `error decoding request body: ${(error as Error).message}`);
  }
  if (!isObject(body)) return status(400, "BadRequest", "the body of the request was not an object");
  body.metadata ??= { name: objName ?? "" };
  const precondition = body.metadata.resourceVersion;
  const conflict = () =>
    status(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualified(type!)} "${objName}": the object has been modified; please apply your changes to the latest version and try again`,
      {
        name: objName,
        group: type!.group,
        kind: type!.plural,
      },
    );

  let next: Obj;
  const manager = q.get("fieldManager") ?? "";
  if (req.method === "POST") {
    if (objName) return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    objName = body.metadata.name;
    const k = storeKey(type, type.namespaced ? ns : undefined, objName ?? "");
    if (objName && store.objects.has(k))
      return status(409, "AlreadyExists", `${qualified(type)} "${objName}" already exists`, {
        name: objName,
        group: type.group,
        kind: type.plural,
      });
    next = body;
    stripServerFields(next);
    return write(store, type, k, undefined, next, manager || "unknown", onWrite);
  }
  if (!objName) return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  if (precondition && existing && existing.metadata.resourceVersion !== precondition) return conflict();
  if (req.method === "PUT") {
    if (!existing) return notFound();
    if (sub === "status") {
      next = { ...existing, status: body.status };
      return write(store, type, key, existing, next, manager || "unknown", onWrite, true);
    }
    next = { ...body, status: existing.status } as Obj;
    stripServerFields(next);
    next.status = existing.status;
    return write(store, type, key, existing, next, manager || "unknown", onWrite);
  }
  if (req.method === "PATCH") {
    if (req.contentType.startsWith("application/apply-patch+yaml")) {
      if (!manager)
        return status(
          400,
          "BadRequest",
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        );
      if (body.metadata.name !== objName)
        return status(400, "BadRequest", `the name of the object (${body.metadata.name}) does not match the name on the URL (${objName})`);
      const t = `${type.group ? `${type.group}/` : ""}${type.version}`;
      if (body.apiVersion !== t || body.kind !== type.kind)
        return status(400, "BadRequest", `the API version in the data (${body.apiVersion}) does not match the expected API version (${t})`);
      stripServerFields(body);
      const applied = apply(store, key, existing, body, manager, q.get("force") === "true");
      if ("status" in applied && typeof applied.status === "number") return applied as ApiAnswer;
      next = applied as Obj;
      if (existing) next.status = existing.status;
      return write(store, type, key, existing, next, manager, onWrite);
    }
    if (!existing) return notFound();
    if (
      req.contentType.startsWith("application/merge-patch+json") ||
      req.contentType.startsWith("application/strategic-merge-patch+json")
    ) {
      delete body.metadata.resourceVersion;
      next = mergePatch(existing, body) as Obj;
      return write(store, type, key, existing, next, manager || "unknown", onWrite);
    }
    return status(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    );
  }
  return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

function write(
  store: K8sStore,
  type: ResourceType,
  key: string,
  existing: Obj | undefined,
  next: Obj,
  manager: string,
  onWrite: () => void,
  statusOnly = false,
): ApiAnswer {
  const [, ns, name] = key.split("/");
  next.metadata = { ...next.metadata, name, ...(type.namespaced ? { namespace: ns } : {}) };
  const causes = statusOnly ? [] : validate(type, next);
  if (causes.length) {
    return status(
      422,
      "Invalid",
      `${type.kind}${type.group ? `.${type.group}` : ""} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}`,
      { name, group: type.group, kind: type.kind, causes },
    );
  }
  const specChanged =
    !existing ||
    JSON.stringify({ ...existing, status: undefined, metadata: undefined }) !==
      JSON.stringify({ ...next, status: undefined, metadata: undefined });
  const metaChanged =
    !existing ||
    JSON.stringify(existing.metadata.labels) !== JSON.stringify(next.metadata.labels) ||
    JSON.stringify(existing.metadata.annotations) !== JSON.stringify(next.metadata.annotations);
  const statusChanged = !!existing && JSON.stringify(existing.status) !== JSON.stringify(next.status);
  if (existing && !specChanged && !metaChanged && !statusChanged) return { status: 200, body: existing };
  store.resourceVersion++;
  const now = new Date().toISOString();
  next.metadata.uid = existing?.metadata.uid ?? crypto.randomUUID();
  next.metadata.creationTimestamp = existing?.metadata.creationTimestamp ?? now;
  next.metadata.generation = (existing?.metadata.generation ?? 0) + (specChanged && !statusOnly ? 1 : 0) || 1;
  next.metadata.resourceVersion = String(store.resourceVersion);
  const others = (existing?.metadata.managedFields ?? []).filter((f) => f.manager !== manager);
  next.metadata.managedFields = [...others, { manager, operation: "Apply", apiVersion: groupVersion(type), time: now }];
  // Status stays as the controller last wrote it (with its observedGeneration) until it reconciles again.
  if (existing && !specChanged && !statusOnly) next.status = existing.status;
  store.objects.set(key, next);
  onWrite();
  return { status: existing ? 200 : 201, body: next };
}

function list(store: K8sStore, type: ResourceType, ns: string | undefined, q: URLSearchParams, pageSize: number): ApiAnswer {
  const selector = (q.get("labelSelector") ?? "")
    .split(",")
    .filter(Boolean)
    .map((s) => {
      const [k, v] = s.split(/!=|==|=/);
      return { k: k.trim(), v: v?.trim(), not: s.includes("!=") };
    });
  const all = [...store.objects.entries()]
    .filter(([k]) => k.startsWith(`${type.plural}/${type.namespaced && ns ? ns : ""}`))
    .filter(([k]) => k.split("/")[0] === type.plural)
    .map(([, o]) => o)
    .filter((o) =>
      selector.every(({ k, v, not }) => {
        const has = o.metadata.labels?.[k];
        if (v === undefined) return has !== undefined;
        return not ? has !== v : has === v;
      }),
    )
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const limit = Math.min(Number(q.get("limit") || pageSize) || pageSize, pageSize);
  let start = 0;
  const token = q.get("continue");
  if (token) {
    try {
      const decoded = JSON.parse(Buffer.from(token, "base64url").toString()) as { start: string };
      start = all.findIndex((o) => `${o.metadata.namespace}/${o.metadata.name}` > decoded.start);
      if (start < 0) start = all.length;
    } catch {
      return status(400, "BadRequest", "continue key is not valid: illegal base64 data");
    }
  }
  const items = all.slice(start, start + limit);
  const more = start + limit < all.length;
  const last = items[items.length - 1];
  return {
    status: 200,
    body: {
      kind: `${type.kind}List`,
      apiVersion: groupVersion(type),
      metadata: {
        resourceVersion: String(store.resourceVersion),
        ...(more && last
          ? {
              continue: Buffer.from(JSON.stringify({ start: `${last.metadata.namespace}/${last.metadata.name}` })).toString("base64url"),
              remainingItemCount: all.length - start - limit,
            }
          : {}),
      },
      items: items
        .map((o) => ({ ...o, apiVersion: undefined, kind: undefined }))
        .map((o) => ({ ...o, apiVersion: groupVersion(type), kind: type.kind })),
    },
  };
}
