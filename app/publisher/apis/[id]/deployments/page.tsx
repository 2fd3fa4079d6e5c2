import type { Metadata } from "next";
import { DeploymentsPanel, type DeployTarget } from "@/components/publisher/deployments-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { getDescriptor } from "@/lib/connectors/registry";
import { listRevisions } from "@/lib/services/apis/list-revisions";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { listEnvironmentSummaries } from "@/lib/services/environments/get-environment";
import { DriftPanel } from "@/components/shared/drift-panel";
import { listApiDrift } from "@/lib/services/drift/get-drift";
import { loadApiForPage } from "../load-api";

export const metadata: Metadata = { title: "API deployments" };

export default async function DeploymentsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const api = await loadApiForPage(id, actor);
  const ctx = { actor };
  const [revisions, deployments, environments] = await Promise.all([
    listRevisions(api.id, ctx),
    listDeployments(api.id, ctx),
    listEnvironmentSummaries(ctx),
  ]);
  const targets: DeployTarget[] = environments.map((e) => {
    const descriptor = getDescriptor(e.type);
    const unavailable =
      e.mode === "read-only"
        ? "Read-only: Meridian discovers APIs here but does not deploy."
        : !descriptor.capabilities.deploy
          ? `${descriptor.label} does not take deployments.`
          : api.origin === `discovered:${e.name}` && e.mode !== "read-write"
            ? "This API was discovered here: it cannot be deployed back over its source."
            : null;
    return { name: e.name, displayName: e.displayName, typeLabel: e.typeLabel, type: e.type, mode: e.mode, unavailable };
  });
  const drift = await listApiDrift(api.id, ctx);
  return (
    <div className="space-y-6">
      <DeploymentsPanel
        apiId={api.id}
        revisions={revisions.items.map((r) => ({ id: r.id, number: r.number }))}
        targets={targets}
        initial={deployments}
        canWrite={can(actor.roles, "apis:write")}
      />
      {drift.length > 0 && <DriftPanel initial={drift} show="environment" canAct={can(actor.roles, "apis:write")} />}
    </div>
  );
}
