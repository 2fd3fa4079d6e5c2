import { authErrors, body, json, pathParam, problem, queryParam, ref, type Json } from "../helpers";

/** APIs as code (project plan/apply/export, the project file's schema) and drift of push deployments. */

const textDiff: Json = {
  type: "object",
  required: ["lines", "added", "removed", "truncated"],
  properties: {
    lines: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "text"],
        properties: {
          kind: { type: "string", enum: ["added", "removed", "context", "skipped"] },
          text: { type: "string" },
          count: { type: "integer" },
        },
      },
    },
    added: { type: "integer" },
    removed: { type: "integer" },
    truncated: { type: "boolean" },
  },
};

const change: Json = {
  type: "object",
  required: ["kind", "action", "target", "details"],
  properties: {
    kind: { type: "string", enum: ["tier", "api", "definition", "document", "revision", "deployment"] },
    action: { type: "string", enum: ["create", "update", "revision", "deploy"] },
    target: { type: "string", description: "A tier name, name@version, or name@version → environment." },
    details: { type: "array", items: { type: "string" } },
  },
};

export const projectSchemas: Record<string, Json> = {
  ProjectBody: {
    type: "object",
    required: ["project"],
    additionalProperties: false,
    properties: {
      project: { type: "string", description: "The project file's text (YAML); its schema is at /api/v1/schemas/project.json." },
      files: {
        type: "object",
        additionalProperties: { type: "string" },
        description: "The files the project file names (definitions, Markdown documents), by their path in it.",
      },
    },
  },
  TextDiff: textDiff,
  ProjectChange: change,
  ProjectPlan: {
    type: "object",
    required: ["changes", "environments", "summary", "hasChanges"],
    properties: {
      changes: { type: "array", items: ref("ProjectChange") },
      environments: {
        type: "array",
        description: "Per deployment to a gateway: the native artifacts' diff from what runs there to what the deployment would write.",
        items: {
          type: "object",
          required: ["api", "environment", "type", "revision", "diff"],
          properties: {
            api: { type: "string" },
            environment: { type: "string" },
            type: { type: "string" },
            revision: { type: "integer" },
            diff: ref("TextDiff"),
          },
        },
      },
      summary: {
        type: "object",
        properties: {
          tiers: { type: "integer" },
          apis: { type: "integer" },
          revisions: { type: "integer" },
          documents: { type: "integer" },
          deployments: { type: "integer" },
        },
      },
      hasChanges: { type: "boolean" },
    },
  },
  ProjectApplyResult: {
    type: "object",
    required: ["ok", "plan", "done", "failed", "notDone", "deployments"],
    properties: {
      ok: { type: "boolean", description: "False when a change failed: `failed` says which and why, `notDone` what was not tried." },
      plan: ref("ProjectPlan"),
      done: { type: "array", items: ref("ProjectChange") },
      failed: {
        anyOf: [
          { type: "null" },
          {
            allOf: [
              ref("ProjectChange"),
              {
                type: "object",
                properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } },
              },
            ],
          },
        ],
      },
      notDone: { type: "array", items: ref("ProjectChange") },
      deployments: {
        type: "array",
        description: "Deployments started; push gateways run them as jobs: follow them with GET /api/v1/deployments/{id}.",
        items: {
          type: "object",
          required: ["id", "api", "environment", "revision", "status"],
          properties: {
            id: { type: "string" },
            api: { type: "string" },
            environment: { type: "string" },
            revision: { type: "integer" },
            status: { type: "string" },
            jobId: { type: ["string", "null"] },
          },
        },
      },
    },
  },
  ExportedProject: {
    type: "object",
    required: ["project", "files"],
    properties: {
      project: { type: "string", description: "meridian.yaml" },
      files: { type: "object", additionalProperties: { type: "string" } },
    },
  },
};

const invalidProject = problem(
  "The project file has problems (code validation_failed): errors lists each with its path and, where YAML gives it, its line and column",
);

export const projectPaths: Record<string, Json> = {
  "/api/v1/project/plan": {
    post: {
      operationId: "planProject",
      tags: ["project"],
      summary: "What applying a project file would change, and each environment's native artifact diff; no side effect",
      requestBody: body(ref("ProjectBody")),
      responses: { "200": json("The plan", ref("ProjectPlan")), ...authErrors, "400": invalidProject },
    },
  },
  "/api/v1/project/apply": {
    post: {
      operationId: "applyProject",
      tags: ["project"],
      summary: "Apply a project file: idempotent; a change that fails stops the apply and the result says what was done and what was not",
      requestBody: body(ref("ProjectBody")),
      responses: { "200": json("What was done", ref("ProjectApplyResult")), ...authErrors, "400": invalidProject },
    },
  },
  "/api/v1/project/export": {
    get: {
      operationId: "exportProject",
      tags: ["project"],
      summary: "The current state of chosen APIs (all of the caller's when none is named) as a project file and its files",
      parameters: [{ ...queryParam("api", { type: "string" }, "name@version or id; repeat for several"), explode: true }],
      responses: {
        "200": json("The project", ref("ExportedProject")),
        "404": problem("No such API, or it is not yours (code not_found)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/schemas/project.json": {
    get: {
      operationId: "getProjectSchema",
      tags: ["project"],
      summary: "The project file's JSON Schema (draft 2020-12), for editors and pipelines",
      security: [],
      responses: {
        "200": { description: "JSON Schema", content: { "application/schema+json": { schema: { type: "object" } } } },
      },
    },
  },
};

export const driftParam = pathParam("id", "Deployment id (dep_…)");
