import { HTTP_METHODS, type HttpMethod, type JsonObject } from "./types";

export interface ScratchOperation {
  method: HttpMethod;
  path: string;
  summary?: string;
}

export interface ScratchInput {
  name: string;
  version: string;
  description?: string;
  operations: ScratchOperation[];
}

function operationId(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, " "))
    .join(" ")
    .split(" ")
    .filter(Boolean);
  return [method, ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join("");
}

/**
 * A minimal valid OpenAPI 3.0 document for an API started from scratch: one entry per
 * operation, path parameters declared, a default response. The publisher refines it in the
 * editor afterwards.
 */
export function buildScratchDocument(input: ScratchInput): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const op of input.operations) {
    const method = op.method.toLowerCase() as HttpMethod;
    if (!HTTP_METHODS.includes(method)) continue;
    const item = (paths[op.path] ??= {});
    const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    item[method] = {
      operationId: operationId(method, op.path),
      ...(op.summary ? { summary: op.summary } : {}),
      ...(params.length ? { parameters: params } : {}),
      responses: { "200": { description: "Successful response" } },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: input.name, version: input.version, ...(input.description ? { description: input.description } : {}) },
    paths,
  };
}
