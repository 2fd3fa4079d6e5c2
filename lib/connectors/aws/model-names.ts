import { isObject, type JsonObject } from "@/lib/domain/openapi/types";

/**
 * API Gateway makes a model of every schema under components.schemas, and ImportRestApi refuses
 * the whole document when a model name is not alphanumeric ("Model name must be alphanumeric:
 * call_enum_event"). Such names are renamed, and every $ref to them rewritten. Pure: no I/O.
 */

const ALPHANUMERIC = /^[A-Za-z0-9]+$/;
const SCHEMA_REF = "#/components/schemas/";

/** `call_enum_event` → `CallEnumEvent`, `studio.v2.flow` → `StudioV2Flow`: each run of letters and digits, capitalised. */
function alphanumericName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join("") || "Model";
}

/**
 * New names for the schema names API Gateway would refuse, by old name. Deterministic (names are
 * taken in sorted order, whatever the document's order) and collision-free: a name already in use,
 * kept or given, gets the smallest number from 2 that makes it free.
 */
export function awsModelNames(names: string[]): Map<string, string> {
  const taken = new Set(names.filter((n) => ALPHANUMERIC.test(n)));
  const renamed = new Map<string, string>();
  for (const name of names.filter((n) => !ALPHANUMERIC.test(n)).sort()) {
    const base = alphanumericName(name);
    let candidate = base;
    for (let i = 2; taken.has(candidate); i++) candidate = `${base}${i}`;
    taken.add(candidate);
    renamed.set(name, candidate);
  }
  return renamed;
}

/** The schema name a local reference points into, decoded (JSON pointer and URI escapes), with the rest of the pointer. */
function splitSchemaRef(ref: string): { name: string; rest: string } | null {
  if (!ref.startsWith(SCHEMA_REF)) return null;
  const pointer = ref.slice(SCHEMA_REF.length);
  const cut = pointer.indexOf("/");
  const token = cut < 0 ? pointer : pointer.slice(0, cut);
  let name: string;
  try {
    name = decodeURIComponent(token);
  } catch {
    name = token;
  }
  return { name: name.replace(/~1/g, "/").replace(/~0/g, "~"), rest: cut < 0 ? "" : pointer.slice(cut) };
}

function rewriteRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, renamed));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const target = key === "$ref" && typeof child === "string" ? splitSchemaRef(child) : null;
    const name = target ? renamed.get(target.name) : undefined;
    out[key] = target && name ? `${SCHEMA_REF}${name}${target.rest}` : rewriteRefs(child, renamed);
  }
  return out;
}

/** The document with alphanumeric model names, and what was renamed (old → new). */
export function withAwsModelNames(document: JsonObject): { document: JsonObject; renamed: Map<string, string> } {
  const components = isObject(document.components) ? document.components : undefined;
  const schemas = components && isObject(components.schemas) ? components.schemas : undefined;
  const renamed = awsModelNames(schemas ? Object.keys(schemas) : []);
  if (!schemas || renamed.size === 0) return { document, renamed };
  const out = rewriteRefs(document, renamed) as JsonObject;
  const outComponents = out.components as JsonObject;
  outComponents.schemas = Object.fromEntries(
    Object.entries(outComponents.schemas as JsonObject).map(([name, schema]) => [renamed.get(name) ?? name, schema]),
  );
  return { document: out, renamed };
}
