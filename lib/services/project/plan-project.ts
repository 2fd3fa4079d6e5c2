import { z } from "zod";
import { getDb, type DbOrTx } from "@/lib/db/client";
import type { TextDiff } from "@/lib/domain/openapi/diff";
import { diffArtifacts } from "@/lib/domain/project/artifact-text";
import { parseProject, type ProjectError } from "@/lib/domain/project/parse";
import type { Project } from "@/lib/domain/project/schema";
import { AppError } from "@/lib/errors";
import type { ApiMetaRow } from "@/lib/services/apis/access";
import type { ServiceContext } from "@/lib/services/context";
import { loadRevision } from "@/lib/services/deployments/deployment-input";
import { planFor } from "@/lib/services/deployments/plan-deployment";
import { parseInput } from "@/lib/services/validate";
import { desiredState, type DesiredState } from "./desired-state";

/** A project carries its definitions (each bounded on import as any definition is): more than a management body's megabyte. */
export const MAX_PROJECT_BODY_BYTES = 32 * 1024 * 1024;

/** POST /api/v1/project/plan and /apply: the project file's text and the files it names (definitions, Markdown), by their path in it. */
export const projectBodySchema = z
  .object({
    project: z.string().min(1, "Send the project file's text.").max(1_000_000),
    files: z
      .record(z.string().min(1).max(500), z.string())
      .default({})
      .refine((f) => Object.keys(f).length <= 500, "At most 500 files."),
  })
  .strict();
export type ProjectBody = z.input<typeof projectBodySchema>;

export type ChangeAction = "create" | "update" | "revision" | "deploy";

export interface ProjectChange {
  kind: "tier" | "api" | "definition" | "document" | "revision" | "deployment";
  action: ChangeAction;
  /** What it is about: a tier name, name@version, name@version → environment. */
  target: string;
  /** One readable line per field or fact. */
  details: string[];
}

export interface EnvironmentDiff {
  api: string;
  environment: string;
  type: string;
  revision: number;
  /** The native artifacts' line diff, from what the environment runs now to what the deployment would write. */
  diff: TextDiff;
}

export interface ProjectPlan {
  changes: ProjectChange[];
  environments: EnvironmentDiff[];
  summary: { tiers: number; apis: number; revisions: number; documents: number; deployments: number };
  hasChanges: boolean;
}

/** Parses the body's project; every problem of the file becomes one 400 with all of them. */
export function parseProjectBody(input: unknown): { project: Project; files: Record<string, string> } {
  const body = parseInput(projectBodySchema, input);
  const parsed = parseProject(body.project, { files: new Set(Object.keys(body.files)) });
  if (!parsed.ok) throw projectErrors(parsed.errors);
  return { project: parsed.project, files: body.files };
}

export function projectErrors(errors: ProjectError[]): AppError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new AppError(
    "validation_failed",
    `The project file has ${errors.length} problem${errors.length === 1 ? "" : "s"}: ${first.path}${first.line ? ` (line ${first.line})` : ""}: ${first.message}${more}`,
    { extra: { errors } },
  );
}

const describe = (value: unknown) => (value === null || value === undefined ? "none" : JSON.stringify(value));

/** The changes and per-environment artifact diffs of a desired state; reads only. */
export async function describePlan(db: DbOrTx, state: DesiredState): Promise<ProjectPlan> {
  const changes: ProjectChange[] = [];
  for (const t of state.tiers) {
    if (!t.changed.length) continue;
    changes.push(
      t.current
        ? {
            kind: "tier",
            action: "update",
            target: t.file.name,
            details: t.changed.map(
              (f) => `${f}: ${describe(t.current![f as keyof typeof t.current])} → ${describe(t.file[f as keyof typeof t.file] ?? null)}`,
            ),
          }
        : {
            kind: "tier",
            action: "create",
            target: t.file.name,
            details: [t.file.unlimited ? "unlimited" : `${t.file.requests} per ${t.file.unit}`],
          },
    );
  }
  for (const a of state.apis) {
    if (!a.current)
      changes.push({ kind: "api", action: "create", target: a.key, details: [`${a.file.context}, from ${a.file.definition}`] });
    else {
      if (a.changedSettings.length)
        changes.push({
          kind: "api",
          action: "update",
          target: a.key,
          details: a.changedSettings.map(
            (f) => `${f}: ${describe((a.current as Record<string, unknown>)[f])} → ${describe(a.settings[f])}`,
          ),
        });
      if (a.definitionChanged)
        changes.push({ kind: "definition", action: "update", target: a.key, details: [`from ${a.file.definition}`] });
    }
    for (const d of a.documents)
      if (d.changed)
        changes.push({
          kind: "document",
          action: d.current ? "update" : "create",
          target: `${a.key}: ${d.title}`,
          details: [d.sourceType],
        });
    if (a.needsRevision)
      changes.push({
        kind: "revision",
        action: "revision",
        target: a.key,
        details: [`revision ${a.targetRevision.number}${a.latestRevision ? ` (after ${a.latestRevision.number})` : ""}`],
      });
  }
  const environments: EnvironmentDiff[] = [];
  for (const d of state.deployments) {
    if (!d.needed) continue;
    const target = `${d.api.key} → ${d.env.name}`;
    changes.push({
      kind: "deployment",
      action: "deploy",
      target,
      details: [`revision ${d.api.targetRevision.number}${d.current?.deployedRevisionId ? " (replaces the one deployed)" : ""}`],
    });
    const meta = (d.api.current ?? { origin: "meridian" }) as ApiMetaRow;
    const after = await planFor(db, meta, d.env, d.api.targetRevision);
    if (after.refusals.length) {
      state.errors.push({ path: d.path, message: `${d.env.name} refuses ${d.api.key}: ${after.refusals.map((r) => r.reason).join(" ")}` });
      continue;
    }
    const deployedId = d.current?.deployedRevisionId;
    const before = deployedId ? (await planFor(db, meta, d.env, await loadRevision(db, deployedId))).artifacts : [];
    environments.push({
      api: d.api.key,
      environment: d.env.name,
      type: d.env.type,
      revision: d.api.targetRevision.number,
      diff: diffArtifacts(before, after.artifacts),
    });
  }
  const count = (kind: ProjectChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  return {
    changes,
    environments,
    summary: {
      tiers: count("tier"),
      apis: new Set(changes.filter((c) => c.kind === "api" || c.kind === "definition").map((c) => c.target)).size,
      revisions: count("revision"),
      documents: count("document"),
      deployments: count("deployment"),
    },
    hasChanges: changes.length > 0,
  };
}

/**
 * What applying the project file would change in Meridian (tiers, APIs, documents, new
 * revisions only where the content changed, deployments) and, per environment, the diff of
 * the native artifacts the deployment would write. No side effect.
 */
export async function planProject(input: unknown, ctx: ServiceContext): Promise<ProjectPlan> {
  const { project, files } = parseProjectBody(input);
  const db = await getDb();
  const state = await desiredState(db, project, files, ctx);
  if (state.errors.length) throw projectErrors(state.errors);
  const plan = await describePlan(db, state);
  if (state.errors.length) throw projectErrors(state.errors);
  return plan;
}
