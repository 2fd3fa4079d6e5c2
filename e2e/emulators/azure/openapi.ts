/**
 * Importing an OpenAPI document into API Management operations, and exporting them back.
 * API Management keeps operations, not the document: an export is regenerated from what the
 * service holds, so its servers and titles are the service's, not the uploaded ones.
 */

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface ImportedOperation {
  /** The operation's resource name: the document's operationId when it is a valid name. */
  id: string;
  method: string;
  urlTemplate: string;
  displayName: string;
  description: string;
  templateParameters: Array<{ name: string; required: boolean; type: string }>;
  /** The operation object as imported, for the export. */
  source: Record<string, unknown>;
}

export interface ImportedDocument {
  title: string;
  description: string;
  operations: ImportedOperation[];
  components: Record<string, unknown> | undefined;
}

export class ImportError extends Error {}

function operationName(operationId: unknown, method: string, path: string, taken: Set<string>): string {
  let base =
    typeof operationId === "string" && operationId.trim()
      ? operationId.trim().replace(/[^A-Za-z0-9._-]+/g, "-")
      : `${method}-${
          path
            .replace(/[{}]/g, "")
            .replace(/[^A-Za-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "") || "root"
        }`;
  base = base.slice(0, 80);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}-${i}`;
  taken.add(name.toLowerCase());
  return name;
}

export function importOpenApi(value: string): ImportedDocument {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(value) as Record<string, unknown>;
  } catch (error) {
    throw new ImportError(
      `Parsing error(s): The input OpenAPI file is not valid for the OpenAPI specification https://spec.openapis.org/oas/v3.0.3 (${(error as Error).message}).`,
    );
  }
  if (!doc || typeof doc !== "object" || (typeof doc.openapi !== "string" && doc.swagger !== "2.0")) {
    throw new ImportError("Parsing error(s): The input is not an OpenAPI document: the 'openapi' field is missing.");
  }
  const info = (doc.info ?? {}) as Record<string, unknown>;
  if (typeof info.title !== "string" || !info.title) throw new ImportError("Parsing error(s): The field 'info.title' is required.");
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  const taken = new Set<string>();
  const operations: ImportedOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/")) throw new ImportError(`Parsing error(s): The path '${path}' must begin with '/'.`);
    const shared = Array.isArray(item.parameters) ? (item.parameters as Array<Record<string, unknown>>) : [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op || typeof op !== "object") continue;
      const params = [...shared, ...(Array.isArray(op.parameters) ? (op.parameters as Array<Record<string, unknown>>) : [])];
      const templateParameters = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
        const p = params.find((x) => x.in === "path" && x.name === name);
        return { name, required: true, type: String(((p?.schema ?? {}) as { type?: unknown }).type ?? "string") };
      });
      operations.push({
        id: operationName(op.operationId, method, path, taken),
        method: method.toUpperCase(),
        urlTemplate: path,
        displayName: String(op.summary ?? op.operationId ?? `${method.toUpperCase()} ${path}`).slice(0, 300),
        description: typeof op.description === "string" ? op.description : "",
        templateParameters,
        source: { ...op, parameters: params.length ? params : undefined },
      });
    }
  }
  return {
    title: info.title,
    description: typeof info.description === "string" ? info.description : "",
    operations,
    components: doc.components as Record<string, unknown> | undefined,
  };
}

export function exportOpenApi(api: {
  displayName: string;
  description: string;
  apiVersion?: string;
  serverUrl: string;
  operations: ImportedOperation[];
  components?: Record<string, unknown>;
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of api.operations) {
    const { parameters, ...rest } = op.source;
    paths[op.urlTemplate] ??= {};
    paths[op.urlTemplate][op.method.toLowerCase()] = {
      ...rest,
      summary: op.displayName,
      ...(op.description ? { description: op.description } : {}),
      operationId: op.id,
      ...(parameters ? { parameters } : {}),
      responses: (rest.responses as Record<string, unknown>) ?? { "200": { description: "" } },
    };
  }
  return {
    openapi: "3.0.1",
    info: { title: api.displayName, description: api.description, version: api.apiVersion ?? "1.0" },
    servers: [{ url: api.serverUrl }],
    paths,
    components: api.components ?? {},
  };
}
