/** Small builders that keep the hand-written OpenAPI description readable. */
export type Json = Record<string, unknown>;

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

export const problem = (description: string): Json => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});

export const json = (description: string, schema: Json): Json => ({ description, content: { "application/json": { schema } } });

export const body = (schema: Json, required = true): Json => ({ required, content: { "application/json": { schema } } });

export const pathParam = (name: string, description = ""): Json => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  description,
});

export const queryParam = (name: string, schema: Json, description = ""): Json => ({
  name,
  in: "query",
  required: false,
  schema,
  description,
});

export const pageParams: Json[] = [
  queryParam("page", { type: "integer", minimum: 1, default: 1 }),
  queryParam("pageSize", { type: "integer", minimum: 1, maximum: 100, default: 25 }),
];

export const pageOf = (item: Json): Json => ({
  type: "object",
  required: ["items", "total", "page", "pageSize"],
  properties: {
    items: { type: "array", items: item },
    total: { type: "integer" },
    page: { type: "integer" },
    pageSize: { type: "integer" },
  },
});

/** The usual failures of an authenticated endpoint. */
export const authErrors: Json = {
  "400": problem("Invalid input (code validation_failed, with an errors list)"),
  "401": problem("Missing, malformed, expired or revoked token"),
  "403": problem("The caller's roles do not allow this"),
};
