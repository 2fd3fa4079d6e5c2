import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { LifecycleActions } from "@/components/publisher/lifecycle-actions";
import { LifecycleBadge } from "@/components/publisher/lifecycle-badge";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { isLifecycleState, LIFECYCLE_STATE_DESCRIPTIONS, LIFECYCLE_STATES } from "@/lib/domain/lifecycle";
import { listLifecycleEvents } from "@/lib/services/apis/list-lifecycle-events";
import { loadApiForPage } from "../load-api";
import { formatDateTime } from "@/lib/domain/datetime";

export const metadata: Metadata = { title: "API lifecycle" };

const when = (iso: string) => formatDateTime(iso, { seconds: true });

export default async function LifecyclePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const api = await loadApiForPage(id, actor);
  const history = await listLifecycleEvents(api.id, { actor });
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_3fr]">
      <Card>
        <CardHeader
          title="Current state"
          description={LIFECYCLE_STATE_DESCRIPTIONS[api.lifecycleState]}
          actions={<LifecycleBadge state={api.lifecycleState} />}
        />
        <CardBody className="space-y-5">
          <LifecycleActions apiId={api.id} actions={api.allowedActions} canWrite={can(actor.roles, "apis:write")} />
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-600 dark:text-slate-400">What each state means</summary>
            <dl className="mt-2 space-y-1">
              {LIFECYCLE_STATES.map((s) => (
                <div key={s} className="flex gap-2">
                  <dt className="w-28 shrink-0">
                    <LifecycleBadge state={s} />
                  </dt>
                  <dd className="text-xs text-slate-600 dark:text-slate-400">{LIFECYCLE_STATE_DESCRIPTIONS[s]}</dd>
                </div>
              ))}
            </dl>
          </details>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="History" description="Every change of state, newest first." />
        <Table aria-label="Lifecycle history">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>Change</Th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr key={e.id}>
                <Td className="text-xs whitespace-nowrap">{when(e.at)}</Td>
                <Td className="text-xs">{e.actorEmail ?? "system"}</Td>
                <Td className="text-xs">
                  {e.action === "create" ? (
                    "Created"
                  ) : (
                    <span className="flex flex-wrap items-center gap-1">
                      {isLifecycleState(e.fromState) && <LifecycleBadge state={e.fromState} />} →{" "}
                      {isLifecycleState(e.toState) && <LifecycleBadge state={e.toState} />}
                      <span className="text-slate-600 dark:text-slate-400">({e.action})</span>
                    </span>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
