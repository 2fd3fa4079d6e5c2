import type { Metadata } from "next";
import Link from "next/link";
import { HealthBadge } from "@/components/admin/health-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { formatCount, formatMs, formatPercent } from "@/components/analytics/format";
import { requirePageActor } from "@/lib/auth/guards";
import { describeAuditAction } from "@/lib/domain/audit-words";
import { formatDateTime } from "@/lib/domain/datetime";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { listAudit } from "@/lib/services/audit/list-audit";
import { listFailingDeployments } from "@/lib/services/deployments/list-failing-deployments";
import { listEnvironments } from "@/lib/services/environments/get-environment";
import { environmentDriftCounts } from "@/lib/services/drift/get-drift";
import { listUsers } from "@/lib/services/users/list-users";

export const metadata: Metadata = { title: "Admin" };

const LINK = "text-sm font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-100";

/** What an operator looks for first: gateway health, failing deployments, traffic, then who did what. */
export default async function AdminHome() {
  const actor = await requirePageActor("portal:admin");
  const ctx = { actor };
  const [users, audit, environments, failing, traffic, drift] = await Promise.all([
    listUsers({ pageSize: 1 }, ctx),
    listAudit({ pageSize: 8 }, ctx),
    listEnvironments(ctx),
    listFailingDeployments({ limit: 5 }, ctx),
    getAnalyticsSummary({ scope: "all" }, ctx),
    environmentDriftCounts(),
  ]);
  const healthy = environments.filter((e) => e.health?.status === "healthy").length;
  return (
    <>
      <PageHeader title="Administration" description="Gateways, deployments, traffic and activity on this Meridian." />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="home-gateways">
          <CardHeader
            title={<span id="home-gateways">Gateways</span>}
            description={`${environments.length} ${environments.length === 1 ? "environment" : "environments"} · ${healthy} healthy`}
            actions={
              <Link className={LINK} href="/admin/environments">
                All environments
              </Link>
            }
          />
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {environments.slice(0, 8).map((e) => (
              <li key={e.id} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm">
                <div className="min-w-0">
                  <Link href={`/admin/environments/${e.name}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {e.displayName}
                  </Link>
                  <div className="text-xs text-slate-600 dark:text-slate-400">
                    {e.typeLabel}
                    {e.region ? ` · ${e.region}` : ""}
                  </div>
                </div>
                {e.health && <HealthBadge health={e.health} />}
              </li>
            ))}
          </ul>
          {environments.length === 0 && (
            <CardBody className="text-sm text-slate-600 dark:text-slate-400">No gateway environment yet.</CardBody>
          )}
          <CardBody className="border-t border-slate-100 text-sm dark:border-slate-800">
            <p data-testid="home-drift" className="flex flex-wrap items-center gap-2">
              <span className="font-medium">Drift on push gateways:</span>
              <Badge tone="green">{drift.inSync} in sync</Badge>
              <Badge tone={drift.drifted ? "red" : "neutral"}>{drift.drifted} drifted</Badge>
              <Badge tone={drift.missing ? "red" : "neutral"}>{drift.missing} missing</Badge>
            </p>
          </CardBody>
        </Card>

        <Card aria-labelledby="home-failing">
          <CardHeader
            title={<span id="home-failing">Failing deployments</span>}
            description={failing.total === 0 ? "Every deployment is where it should be." : `${failing.total} failed or drifted`}
          />
          {failing.items.length === 0 ? (
            <CardBody className="text-sm text-slate-600 dark:text-slate-400">No failed or drifted deployment.</CardBody>
          ) : (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {failing.items.map((d) => (
                <li key={d.id} className="space-y-1 px-5 py-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/publisher/apis/${d.apiId}/deployments`}
                      className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                    >
                      {d.apiName} {d.apiVersion}
                    </Link>
                    <span className="text-slate-600 dark:text-slate-400">on {d.environment}</span>
                    <Badge tone={d.status === "failed" ? "red" : "amber"}>{d.status}</Badge>
                  </div>
                  {d.error && <p className="line-clamp-2 text-xs break-words text-slate-600 dark:text-slate-400">{d.error}</p>}
                  <time className="block text-xs text-slate-600 dark:text-slate-400" dateTime={d.updatedAt}>
                    {formatDateTime(d.updatedAt)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card aria-labelledby="home-traffic">
          <CardHeader
            title={<span id="home-traffic">Traffic, last 24 hours</span>}
            actions={
              <Link className={LINK} href="/admin/analytics">
                Analytics
              </Link>
            }
          />
          <CardBody>
            <dl className="grid grid-cols-3 gap-4">
              {[
                ["Requests", formatCount(traffic.totals.requests)],
                ["Error rate", formatPercent(traffic.totals.errorRate)],
                ["Latency p95", formatMs(traffic.totals.latencyP95Ms)],
              ].map(([label, value]) => (
                <div key={label} className="min-w-0">
                  <dt className="truncate text-xs font-medium tracking-wide text-slate-600 uppercase dark:text-slate-400">{label}</dt>
                  <dd className="mt-1 text-xl font-semibold whitespace-nowrap tabular-nums">{value}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
              {users.total} user {users.total === 1 ? "account" : "accounts"} ·{" "}
              <Link className={LINK} href="/admin/users">
                Manage users
              </Link>
            </p>
          </CardBody>
        </Card>

        <Card aria-labelledby="home-activity">
          <CardHeader
            title={<span id="home-activity">Recent activity</span>}
            actions={
              <Link className={LINK} href="/admin/audit">
                Audit log
              </Link>
            }
          />
          <CardBody>
            {audit.items.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">Nothing has happened yet.</p>
            ) : (
              <ul className="space-y-2 text-sm" aria-label="Recent activity">
                {audit.items.map((e) => (
                  <li key={e.id} className="flex flex-wrap justify-between gap-x-4" title={e.action}>
                    <span className="min-w-0 break-words">
                      <span className="font-medium">{e.actorEmail ?? "Someone"}</span> {describeAuditAction(e)}
                    </span>
                    <time className="text-xs whitespace-nowrap text-slate-600 dark:text-slate-400" dateTime={e.at.toISOString()}>
                      {formatDateTime(e.at)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
