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
  DriftCounts: {
    type: "object",
    required: ["inSync", "drifted", "missing", "unchecked"],
    description: "Push deployments by drift state.",
    properties: { inSync: { type: "integer" }, drifted: { type: "integer" }, missing: { type: "integer" }, unchecked: { type: "integer" } },
  },
  DeploymentDrift: {
    type: "object",
    required: ["deploymentId", "apiId", "environment", "state", "desiredRevision", "appliedRevision", "diff", "canAdopt"],
    properties: {
      deploymentId: { type: "string" },
      apiId: { type: "string" },
      apiName: { type: "string" },
      apiVersion: { type: "string" },
      environment: { type: "string" },
      environmentName: { type: "string" },
      state: {
        type: "string",
        enum: ["in_sync", "drifted", "missing", "unknown"],
        description: "missing: deleted on the gateway, never shown in sync; unknown: not checked yet.",
      },
      desiredRevision: { type: "integer", description: "The revision the deployment asks for." },
      appliedRevision: { type: ["integer", "null"], description: "The revision Meridian last applied there." },
      appliedAt: { type: ["string", "null"], format: "date-time" },
      checkedAt: { type: ["string", "null"], format: "date-time" },
      reason: { type: ["string", "null"] },
      checkError: { type: ["string", "null"] },
      diff: { anyOf: [{ type: "null" }, ref("TextDiff")], description: "From what Meridian applied to what runs (native artifacts)." },
      canAdopt: { type: "boolean" },
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

const deploymentId = pathParam("id", "Deployment id (dep_…)");
const deploymentNotFound = problem("No such deployment, or its API is not yours (code not_found)");
const envName = pathParam("name", "Environment name");

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

  "/api/v1/deployments/{id}/drift": {
    get: {
      operationId: "getDeploymentDrift",
      tags: ["deployments"],
      summary: "A push deployment's drift: In sync, Drifted (with the native artifacts' diff) or Missing",
      parameters: [deploymentId],
      responses: { "200": json("Drift", ref("DeploymentDrift")), "404": deploymentNotFound, ...authErrors },
    },
    post: {
      operationId: "checkDeploymentDrift",
      tags: ["deployments"],
      summary: "Check a deployment for drift now, against what runs on the gateway",
      parameters: [deploymentId],
      responses: {
        "200": json("Drift", ref("DeploymentDrift")),
        "404": deploymentNotFound,
        "409": problem("Not deployed, or the gateway type is not checked for drift (code conflict)"),
        "502": problem("The gateway could not be read (code upstream_unavailable)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/deployments/{id}/reapply": {
    post: {
      operationId: "reapplyDeployment",
      tags: ["deployments"],
      summary: "Put Meridian's version back: deploy again the revision last applied there",
      parameters: [deploymentId],
      responses: {
        "202": json("Deploying", {
          type: "object",
          required: ["id", "status"],
          properties: { id: { type: "string" }, status: { type: "string" }, jobId: { type: ["string", "null"] } },
        }),
        "404": deploymentNotFound,
        "409": problem("Undeployed, or refused by the environment (code conflict)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/deployments/{id}/adopt": {
    post: {
      operationId: "adoptDeploymentDrift",
      tags: ["deployments"],
      summary: "Make what runs on the gateway a new revision of the API (where its export maps back to OpenAPI)",
      parameters: [deploymentId],
      responses: {
        "200": json("Adopted", {
          type: "object",
          required: ["revisionId", "revisionNumber", "deploymentId"],
          properties: { revisionId: { type: "string" }, revisionNumber: { type: "integer" }, deploymentId: { type: "string" } },
        }),
        "404": deploymentNotFound,
        "409": problem("Not drifted, missing, or not mappable back (code conflict)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/drift": {
    get: {
      operationId: "listEnvironmentDrift",
      tags: ["environments"],
      summary: "Drift of every push deployment of an environment, with counts (admin; at most 200, most recently changed)",
      parameters: [envName],
      responses: {
        "200": json("Drift", {
          type: "object",
          required: ["counts", "items"],
          properties: { counts: ref("DriftCounts"), items: { type: "array", items: ref("DeploymentDrift") } },
        }),
        "404": problem("No such environment (code not_found)"),
        ...authErrors,
      },
    },
    post: {
      operationId: "checkEnvironmentDrift",
      tags: ["environments"],
      summary: "Check every deployment of an environment for drift now (admin): the job to follow",
      parameters: [envName],
      responses: {
        "202": json("Queued", { type: "object", properties: { jobId: { type: "string" }, status: { type: "string" } } }),
        "404": problem("No such environment (code not_found)"),
        "409": problem("This gateway type is not checked for drift (code conflict)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/metrics": {
    get: {
      operationId: "getMetrics",
      tags: ["environments"],
      summary: "Prometheus metrics for alerting: meridian_deployments_drift{environment,state}",
      responses: {
        "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
        ...authErrors,
      },
    },
  },
};
