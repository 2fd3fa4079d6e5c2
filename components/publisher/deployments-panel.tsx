"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useActionForm } from "@/components/shared/use-action-form";
import { deployRevisionAction } from "@/lib/actions/publisher/deploy-revision";
import { planDeploymentAction } from "@/lib/actions/publisher/plan-deployment";
import { undeployApiAction } from "@/lib/actions/publisher/undeploy-api";
import type { DeploymentView } from "@/lib/services/deployments/list-deployments";
import type { EnvironmentPlan } from "@/lib/services/deployments/plan-deployment";
import { deploymentsQueryKey, IN_PROGRESS, useDeploymentsQuery } from "./use-deployments-query";
import { formatTime } from "@/lib/domain/datetime";

export interface DeployTarget {
  name: string;
  displayName: string;
  typeLabel: string;
  type: string;
  mode: string;
  /** Why this environment cannot take the API, shown beside its disabled checkbox. */
  unavailable: string | null;
}

const STATUS_TONE: Record<string, BadgeTone> = {
  deployed: "green",
  failed: "red",
  pending: "amber",
  deploying: "amber",
  undeploying: "amber",
  undeployed: "neutral",
  drifted: "red",
};
const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
const time = (iso: string) => formatTime(iso, { seconds: true });

function artifactText(content: unknown): string {
  return typeof content === "string" ? content : JSON.stringify(content, null, 2);
}

export function DeploymentsPanel({
  apiId,
  revisions,
  targets,
  initial,
  canWrite,
}: {
  apiId: string;
  revisions: Array<{ id: string; number: number }>;
  targets: DeployTarget[];
  initial: DeploymentView[];
  canWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const { data: deployments, error: loadError } = useDeploymentsQuery(apiId, initial);
  const deploy = useActionForm(deployRevisionAction);
  const plan = useActionForm(planDeploymentAction);
  const undeploy = useActionForm(undeployApiAction);
  const [plans, setPlans] = useState<EnvironmentPlan[] | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: deploymentsQueryKey(apiId) });

  function readForm(form: HTMLFormElement) {
    const data = new FormData(form);
    return { revisionId: String(data.get("revisionId") ?? ""), environments: data.getAll("environments").map(String) };
  }

  async function onDeploy(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = readForm(event.currentTarget);
    const rows = await deploy.run({ id: apiId, input });
    if (rows) {
      toast.success(`Deploying to ${rows.length} environment${rows.length === 1 ? "" : "s"}`);
      setPlans(null);
      await refresh();
    }
  }

  async function onPlan(form: HTMLFormElement | null) {
    if (!form) return;
    const result = await plan.run({ id: apiId, input: readForm(form) });
    if (result) setPlans(result);
  }

  async function onUndeploy(d: DeploymentView) {
    const push = d.environmentType !== "builtin" && d.environmentType !== "agent";
    if (!window.confirm(`Undeploy from ${d.environment}? Calls through this environment stop.`)) return;
    const deleteApi =
      push && window.confirm(`Also delete the API itself on ${d.environment}? Choose Cancel to keep it there, unpublished.`);
    if (await undeploy.run({ id: apiId, environment: d.environmentName, deleteApi })) {
      toast.success(`Undeploying from ${d.environment}`);
      await refresh();
    }
  }

  return (
    <div className="space-y-6">
      {canWrite && (
        <Card>
          <CardHeader
            title="Deploy a revision"
            description="One action deploys to every environment you tick. Built-in gateways serve it within a second; AWS, Azure and other push gateways get a job each, with live progress below."
          />
          <CardBody>
            {revisions.length === 0 ? (
              <EmptyState title="No revision yet">Deployments name a revision: create one on the Revisions tab first.</EmptyState>
            ) : (
              <form onSubmit={onDeploy} aria-label="Deploy a revision" className="space-y-4" id="deploy-form">
                <label className="block space-y-1 text-sm">
                  <span className="block font-medium">Revision</span>
                  <select name="revisionId" className={SELECT} defaultValue={revisions[0].id}>
                    {revisions.map((r) => (
                      <option key={r.id} value={r.id}>
                        Revision {r.number}
                      </option>
                    ))}
                  </select>
                </label>
                <fieldset className="space-y-2">
                  <legend className="text-sm font-medium">Environments</legend>
                  {targets.length === 0 && (
                    <p className="text-sm text-slate-600 dark:text-slate-400">
                      No gateway environment exists yet: an admin registers them.
                    </p>
                  )}
                  {targets.map((t) => (
                    <label key={t.name} className="flex items-start gap-2 text-sm">
                      <input type="checkbox" name="environments" value={t.name} disabled={!!t.unavailable} className="mt-0.5" />
                      <span>
                        <span className="font-medium">{t.displayName}</span>{" "}
                        <span className="text-slate-600 dark:text-slate-400">
                          ({t.typeLabel}, {t.mode})
                        </span>
                        {t.unavailable && <span className="block text-xs text-slate-600 dark:text-slate-400">{t.unavailable}</span>}
                      </span>
                    </label>
                  ))}
                </fieldset>
                <FormError message={deploy.error ?? plan.error} />
                <div className="flex gap-2">
                  <Button type="submit" disabled={deploy.pending}>
                    {deploy.pending ? "Deploying…" : "Deploy"}
                  </Button>
                  <Button type="button" variant="secondary" disabled={plan.pending} onClick={(e) => onPlan(e.currentTarget.form)}>
                    {plan.pending ? "Planning…" : "Preview plan"}
                  </Button>
                </div>
              </form>
            )}
          </CardBody>
        </Card>
      )}

      {plans && (
        <Card>
          <CardHeader
            title="Plan"
            description="What each environment would receive, written in its own terms. Nothing has been changed yet."
          />
          <CardBody className="space-y-4">
            {plans.map((p) => (
              <section key={p.environmentName} aria-label={`Plan for ${p.environment}`} className="space-y-2">
                <h3 className="text-sm font-semibold">
                  {p.environment} <span className="font-normal text-slate-600 dark:text-slate-400">({p.type})</span>
                </h3>
                {p.refusals.length > 0 && (
                  <ul
                    className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
                    aria-label="Refusals"
                  >
                    {p.refusals.map((r, i) => (
                      <li key={i}>
                        <span className="font-medium">{r.feature}:</span> {r.reason}
                      </li>
                    ))}
                  </ul>
                )}
                {p.notes.length > 0 && (
                  <ul
                    className="space-y-1 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
                    aria-label="Notes"
                  >
                    {p.notes.map((n, i) => (
                      <li key={i}>
                        <span className="font-medium">{n.feature}:</span> {n.note}
                      </li>
                    ))}
                  </ul>
                )}
                {p.artifacts.map((a, i) => (
                  <details key={i} className="rounded-md border border-slate-200 dark:border-slate-800">
                    <summary className="cursor-pointer px-3 py-2 text-sm">
                      <Badge>{a.kind}</Badge> <span className="font-mono">{a.name}</span>
                    </summary>
                    <pre className="max-h-96 overflow-auto border-t border-slate-200 bg-slate-50 p-3 text-xs dark:border-slate-800 dark:bg-slate-950">
                      {artifactText(a.content)}
                    </pre>
                  </details>
                ))}
              </section>
            ))}
          </CardBody>
        </Card>
      )}

      <Card>
        <CardHeader title="Deployments" description="Where this API runs, and what each environment is doing now." />
        <CardBody>
          {loadError && <FormError message={loadError.message} />}
          {deployments.length === 0 ? (
            <EmptyState title="Not deployed anywhere">
              {canWrite
                ? "Deploy a revision above to serve this API through a gateway."
                : "A publisher deploys it to a gateway environment."}
            </EmptyState>
          ) : (
            <Table aria-label="Deployments">
              <thead>
                <tr>
                  <Th>Environment</Th>
                  <Th>Revision</Th>
                  <Th>Status</Th>
                  <Th>Progress</Th>
                  {canWrite && <Th className="text-right">Actions</Th>}
                </tr>
              </thead>
              <tbody>
                {deployments.map((d) => {
                  const last = d.steps[d.steps.length - 1];
                  return (
                    <tr key={d.id} data-environment={d.environmentName}>
                      <Td>
                        <div className="font-medium">{d.environment}</div>
                        <div className="text-xs text-slate-600 dark:text-slate-400">{d.environmentType}</div>
                        {d.invokeUrl && d.status === "deployed" && (
                          <div className="font-mono text-xs break-all text-slate-600 dark:text-slate-400">{d.invokeUrl}</div>
                        )}
                      </Td>
                      <Td>
                        {d.revisionNumber}
                        {d.deployedRevisionNumber !== null && d.deployedRevisionNumber !== d.revisionNumber && (
                          <div className="text-xs text-slate-600 dark:text-slate-400">serving revision {d.deployedRevisionNumber}</div>
                        )}
                      </Td>
                      <Td>
                        <span data-testid="deployment-status">
                          <Badge tone={STATUS_TONE[d.status] ?? "neutral"}>{d.status}</Badge>
                        </span>
                        {d.error && <div className="mt-1 max-w-xs text-xs text-red-700 dark:text-red-300">{d.error}</div>}
                      </Td>
                      <Td>
                        {last ? (
                          <details>
                            <summary className="cursor-pointer text-sm">
                              {last.step}
                              {IN_PROGRESS.has(d.status) && <span className="ml-1 text-slate-600 dark:text-slate-400">…</span>}
                            </summary>
                            <ol className="mt-2 space-y-1 text-xs text-slate-600 dark:text-slate-400">
                              {d.steps.map((s, i) => (
                                <li key={i}>
                                  <span className="font-mono">{time(s.at)}</span> {s.step}
                                  {s.detail && <span className="text-slate-600 dark:text-slate-400"> — {s.detail}</span>}
                                </li>
                              ))}
                            </ol>
                          </details>
                        ) : (
                          <span className="text-slate-600 dark:text-slate-400">—</span>
                        )}
                      </Td>
                      {canWrite && (
                        <Td className="text-right">
                          {d.status !== "undeployed" && d.status !== "undeploying" && (
                            <Button
                              variant="ghost"
                              size="sm"
                              onClick={() => onUndeploy(d)}
                              disabled={undeploy.pending}
                              aria-label={`Undeploy from ${d.environment}`}
                            >
                              Undeploy
                            </Button>
                          )}
                        </Td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
