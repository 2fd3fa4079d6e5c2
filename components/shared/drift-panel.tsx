"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { apiRequest } from "@/components/publisher/api-request";
import { formatTime } from "@/lib/domain/datetime";
import type { DriftView } from "@/lib/services/drift/drift-view";

const STATE: Record<DriftView["state"], { label: string; tone: BadgeTone }> = {
  in_sync: { label: "In sync", tone: "green" },
  drifted: { label: "Drifted", tone: "red" },
  missing: { label: "Missing", tone: "red" },
  unknown: { label: "Not checked", tone: "neutral" },
};

const LINE_STYLE = {
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  removed: "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200",
  context: "text-slate-700 dark:text-slate-300",
  skipped: "bg-slate-50 text-slate-600 italic dark:bg-slate-800/60 dark:text-slate-400",
} as const;
const PREFIX = { added: "+", removed: "-", context: " ", skipped: "⋯" } as const;

export function DriftBadge({ state }: { state: DriftView["state"] }) {
  return (
    <span data-testid="drift-state">
      <Badge tone={STATE[state].tone}>{STATE[state].label}</Badge>
    </span>
  );
}

/** The native artifacts' diff: what Meridian applied (−) against what runs there now (+). */
function DriftDiff({ view }: { view: DriftView }) {
  if (!view.diff) return null;
  return (
    <details open className="mt-2 rounded-md border border-slate-200 dark:border-slate-800">
      <summary className="cursor-pointer px-3 py-2 text-sm">
        What changed there: {view.diff.added} line{view.diff.added === 1 ? "" : "s"} added, {view.diff.removed} removed
      </summary>
      <pre
        aria-label={`Drift of ${view.apiName} on ${view.environmentName}`}
        data-testid="drift-diff"
        className="max-h-96 overflow-auto border-t border-slate-200 text-xs dark:border-slate-800"
      >
        {view.diff.lines.map((l, i) => (
          <div key={i} className={cn("px-3 whitespace-pre", LINE_STYLE[l.kind])}>
            {PREFIX[l.kind]} {l.text}
          </div>
        ))}
      </pre>
    </details>
  );
}

/**
 * Drift of push deployments: In sync, Drifted (with the diff of the native artifacts) or
 * Missing, and the actions that settle it. `show` names the other column: the environment in
 * the publisher's view of one API, the API in the admin's view of one environment.
 */
export function DriftPanel({ initial, show, canAct }: { initial: DriftView[]; show: "environment" | "api"; canAct: boolean }) {
  const [views, setViews] = useState(initial);
  const [busy, setBusy] = useState<string | null>(null);
  const replace = (next: DriftView) => setViews((all) => all.map((v) => (v.deploymentId === next.deploymentId ? next : v)));

  async function act(view: DriftView, action: "check" | "reapply" | "adopt") {
    setBusy(`${view.deploymentId}:${action}`);
    const base = `/api/v1/deployments/${encodeURIComponent(view.deploymentId)}`;
    try {
      if (action === "check") {
        replace(await apiRequest<DriftView>(`${base}/drift`, { method: "POST" }));
      } else if (action === "reapply") {
        await apiRequest(`${base}/reapply`, { method: "POST" });
        toast.success(`Re-applying Meridian's revision on ${view.environmentName}`);
        // The deploy records a new baseline when it succeeds: check once it has.
        for (let i = 0; i < 120; i++) {
          await new Promise((r) => setTimeout(r, 1000));
          const d = await apiRequest<{ status: string }>(base);
          if (d.status === "deployed" || d.status === "failed") break;
        }
        replace(await apiRequest<DriftView>(`${base}/drift`, { method: "POST" }));
      } else {
        const out = await apiRequest<{ revisionNumber: number }>(`${base}/adopt`, { method: "POST" });
        toast.success(`What runs on ${view.environmentName} is now revision ${out.revisionNumber}`);
        replace(await apiRequest<DriftView>(`${base}/drift`));
      }
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The action failed.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card aria-labelledby="drift-title">
      <CardHeader
        title={<span id="drift-title">Drift</span>}
        description="What runs on each push gateway, compared with what Meridian applied there: checked on the environment's discovery interval, or now."
      />
      <CardBody>
        {views.length === 0 ? (
          <EmptyState title="Nothing to compare">No deployment here runs on a gateway Meridian can read back.</EmptyState>
        ) : (
          <Table aria-label="Drift">
            <thead>
              <tr>
                <Th>{show === "environment" ? "Environment" : "API"}</Th>
                <Th>State</Th>
                <Th>Revisions</Th>
                {canAct && <Th className="text-right">Actions</Th>}
              </tr>
            </thead>
            <tbody>
              {views.map((v) => (
                <tr key={v.deploymentId} data-deployment={v.deploymentId} data-environment={v.environment}>
                  <Td className="align-top">
                    <div className="font-medium">{show === "environment" ? v.environmentName : `${v.apiName} ${v.apiVersion}`}</div>
                    {v.checkedAt && (
                      <div className="text-xs text-slate-600 dark:text-slate-400">checked {formatTime(v.checkedAt, { seconds: true })}</div>
                    )}
                  </Td>
                  <Td className="align-top">
                    <DriftBadge state={v.state} />
                    {v.reason && <div className="mt-1 max-w-sm text-xs text-red-700 dark:text-red-300">{v.reason}</div>}
                    {v.checkError && (
                      <div className="mt-1 max-w-sm text-xs text-amber-800 dark:text-amber-200">Last check failed: {v.checkError}</div>
                    )}
                    <DriftDiff view={v} />
                  </Td>
                  <Td className="align-top text-sm">
                    asked {v.desiredRevision}
                    <div className="text-xs text-slate-600 dark:text-slate-400">applied {v.appliedRevision ?? "—"}</div>
                  </Td>
                  {canAct && (
                    <Td className="text-right align-top">
                      <div className="flex flex-wrap justify-end gap-1">
                        <Button
                          variant="ghost"
                          size="sm"
                          disabled={!!busy}
                          onClick={() => act(v, "check")}
                          aria-label={`Check drift on ${v.environmentName}`}
                        >
                          {busy === `${v.deploymentId}:check` ? "Checking…" : "Check now"}
                        </Button>
                        {(v.state === "drifted" || v.state === "missing") && (
                          <Button variant="secondary" size="sm" disabled={!!busy} onClick={() => act(v, "reapply")}>
                            {busy === `${v.deploymentId}:reapply` ? "Re-applying…" : "Re-apply"}
                          </Button>
                        )}
                        {v.canAdopt && (
                          <Button variant="secondary" size="sm" disabled={!!busy} onClick={() => act(v, "adopt")}>
                            {busy === `${v.deploymentId}:adopt` ? "Adopting…" : "Adopt"}
                          </Button>
                        )}
                      </div>
                    </Td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
