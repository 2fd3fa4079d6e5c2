import { getDb } from "@/lib/db/client";
import type { DeploymentStatus } from "@/lib/db/schema";
import { isAppError } from "@/lib/errors";
import { createApi } from "@/lib/services/apis/create-api";
import { createDocument } from "@/lib/services/apis/create-document";
import { createRevision } from "@/lib/services/apis/create-revision";
import { updateApi } from "@/lib/services/apis/update-api";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { updateDocument } from "@/lib/services/apis/update-document";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createTier } from "@/lib/services/tiers/create-tier";
import { updateTier } from "@/lib/services/tiers/update-tier";
import { tierValues, desiredState, type DesiredApi } from "./desired-state";
import { describePlan, parseProjectBody, projectErrors, type ProjectChange, type ProjectPlan } from "./plan-project";

export interface AppliedDeployment {
  id: string;
  api: string;
  environment: string;
  revision: number;
  status: DeploymentStatus;
  jobId: string | null;
}

export interface ApplyResult {
  ok: boolean;
  plan: ProjectPlan;
  /** Changes made, in order. */
  done: ProjectChange[];
  /** The change that failed, with why; the changes after it were not tried. */
  failed: (ProjectChange & { error: { code: string; message: string } }) | null;
  notDone: ProjectChange[];
  /** Deployments started (push gateways run them as jobs: poll GET /api/v1/deployments/{id}). */
  deployments: AppliedDeployment[];
}

type Step = { change: ProjectChange; run: () => Promise<void> };

/**
 * Applies a project file: the plan's changes, one at a time through the same services the
 * portals use (each audited as usual). Idempotent: a second apply finds nothing to change.
 * When a change fails, the result says what was done and what was not; the next plan shows
 * the rest. Push deployments run as jobs: the result names them for the caller to follow.
 */
export async function applyProject(input: unknown, ctx: ServiceContext): Promise<ApplyResult> {
  const { project, files } = parseProjectBody(input);
  const db = await getDb();
  const state = await desiredState(db, project, files, ctx);
  if (state.errors.length) throw projectErrors(state.errors);
  const plan = await describePlan(db, state);
  if (state.errors.length) throw projectErrors(state.errors);

  const find = (kind: ProjectChange["kind"], target: string) => plan.changes.find((c) => c.kind === kind && c.target === target)!;
  const apiIds = new Map<DesiredApi, string>();
  const revisionIds = new Map<DesiredApi, string>();
  const revisionNumbers = new Map<DesiredApi, number>();
  const deployed: AppliedDeployment[] = [];
  const steps: Step[] = [];

  for (const t of state.tiers) {
    if (!t.changed.length) continue;
    steps.push({
      change: find("tier", t.file.name),
      run: async () => {
        if (t.current) await updateTier("subscription", t.current.name, tierValues(t.file), ctx);
        else await createTier({ kind: "subscription", name: t.file.name, ...tierValues(t.file) }, ctx);
      },
    });
  }
  for (const a of state.apis) {
    if (a.current) apiIds.set(a, a.current.id);
    if (!a.needsRevision) revisionIds.set(a, a.targetRevision.id);
    revisionNumbers.set(a, a.targetRevision.number);
    const id = () => apiIds.get(a)!;
    if (!a.current) {
      steps.push({
        change: find("api", a.key),
        run: async () => {
          const created = await createApi({ ...a.settings, definition: a.definitionText } as Parameters<typeof createApi>[0], ctx);
          apiIds.set(a, created.id);
        },
      });
    } else {
      if (a.changedSettings.length)
        steps.push({
          change: find("api", a.key),
          run: async () => {
            await updateApi(id(), Object.fromEntries(a.changedSettings.map((k) => [k, a.settings[k]])), ctx);
          },
        });
      if (a.definitionChanged)
        steps.push({
          change: find("definition", a.key),
          run: async () => {
            await updateDefinition(id(), a.definitionText, ctx);
          },
        });
    }
    for (const d of a.documents) {
      if (!d.changed) continue;
      steps.push({
        change: find("document", `${a.key}: ${d.title}`),
        run: async () => {
          const body = d.sourceType === "url" ? { url: d.url! } : { content: d.content };
          if (d.current) await updateDocument(id(), d.current.id, { kind: d.kind as "how-to", ...body }, ctx);
          else
            await createDocument(
              id(),
              d.sourceType === "url"
                ? { title: d.title, kind: d.kind as "how-to", sourceType: "url", url: d.url! }
                : { title: d.title, kind: d.kind as "how-to", sourceType: "markdown", content: d.content },
              ctx,
            );
        },
      });
    }
    if (a.needsRevision)
      steps.push({
        change: find("revision", a.key),
        run: async () => {
          const rev = await createRevision(id(), { description: "Applied from the project file" }, ctx);
          revisionIds.set(a, rev.id);
          revisionNumbers.set(a, rev.number);
        },
      });
  }
  for (const d of state.deployments) {
    if (!d.needed) continue;
    steps.push({
      change: find("deployment", `${d.api.key} → ${d.env.name}`),
      run: async () => {
        const [row] = await deployRevision(apiIds.get(d.api)!, { revisionId: revisionIds.get(d.api)!, environments: [d.env.name] }, ctx);
        deployed.push({
          id: row.id,
          api: d.api.key,
          environment: d.env.name,
          revision: revisionNumbers.get(d.api)!,
          status: row.status,
          jobId: row.jobId ?? null,
        });
      },
    });
  }

  const done: ProjectChange[] = [];
  let failed: ApplyResult["failed"] = null;
  for (const [i, step] of steps.entries()) {
    try {
      await step.run();
      done.push(step.change);
    } catch (error) {
      if (!isAppError(error)) throw error;
      failed = { ...step.change, error: { code: error.code, message: error.message } };
      const notDone = steps.slice(i + 1).map((s) => s.change);
      await audit(ctx, done.length, failed);
      return { ok: false, plan, done, failed, notDone, deployments: deployed };
    }
  }
  if (done.length) await audit(ctx, done.length, null);
  return { ok: true, plan, done, failed, notDone: [], deployments: deployed };
}

async function audit(ctx: ServiceContext, changes: number, failed: ApplyResult["failed"]) {
  const db = await getDb();
  await writeAudit(db, ctx, {
    action: "project.apply",
    objectType: "project",
    details: { changes, ...(failed ? { failed: `${failed.kind} ${failed.target}: ${failed.error.message}` } : {}) },
  });
}
