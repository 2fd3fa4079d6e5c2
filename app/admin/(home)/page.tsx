import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listAudit } from "@/lib/services/audit/list-audit";
import { listUsers } from "@/lib/services/users/list-users";
import { formatDateTime } from "@/lib/domain/datetime";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHome() {
  const actor = await requirePageActor("portal:admin");
  const ctx = { actor };
  const [users, audit] = await Promise.all([listUsers({ pageSize: 1 }, ctx), listAudit({ pageSize: 5 }, ctx)]);
  return (
    <>
      <PageHeader title="Administration" description="Users, gateways, tiers and settings for this Meridian." />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader title="Users" actions={<Link className="text-sm text-brand-600 hover:underline" href="/admin/users">Manage</Link>} />
          <CardBody>
            <p className="text-3xl font-semibold">{users.total}</p>
            <p className="text-sm text-slate-500">accounts</p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Recent activity" actions={<Link className="text-sm text-brand-600 hover:underline" href="/admin/audit">Audit log</Link>} />
          <CardBody>
            <ul className="space-y-2 text-sm">
              {audit.items.map((e) => (
                <li key={e.id} className="flex justify-between gap-4">
                  <span>
                    <span className="font-medium">{e.actorEmail ?? "anonymous"}</span> {e.action}
                  </span>
                  <time className="text-slate-500" dateTime={e.at.toISOString()}>
                    {formatDateTime(e.at)}
                  </time>
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
