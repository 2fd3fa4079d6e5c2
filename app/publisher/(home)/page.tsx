import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ApiListTable } from "@/components/publisher/api-list-table";
import { requirePageActor } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { listApis } from "@/lib/services/apis/list-apis";

export const metadata: Metadata = { title: "Publisher" };

export default async function PublisherHome() {
  const actor = await requirePageActor("portal:publisher");
  const apis = can(actor.roles, "apis:read") ? await listApis({ pageSize: 5 }, { actor }) : null;
  const [published, created] = can(actor.roles, "apis:read")
    ? await Promise.all([listApis({ pageSize: 1, state: "PUBLISHED" }, { actor }), listApis({ pageSize: 1, state: "CREATED" }, { actor })])
    : [null, null];
  return (
    <>
      <PageHeader
        title="Publisher portal"
        description={`Signed in as ${actor.email}. Design and import APIs, version them, and deploy revisions to your gateways.`}
        actions={can(actor.roles, "apis:write") ? <ButtonLink href="/publisher/apis/new">Create API</ButtonLink> : undefined}
      />
      <div className="grid gap-4 md:grid-cols-2">
        {apis && (
          <Card className="md:col-span-2">
            <CardHeader
              title="Your APIs"
              description={`${apis.total} in all · ${published?.total ?? 0} published · ${created?.total ?? 0} in design`}
              actions={
                <ButtonLink variant="secondary" size="sm" href="/publisher/apis">
                  See all
                </ButtonLink>
              }
            />
            {apis.total === 0 ? (
              <CardBody className="text-sm text-slate-600 dark:text-slate-400">
                No APIs yet: import an OpenAPI document or start one from scratch.
              </CardBody>
            ) : (
              <ApiListTable apis={apis.items} />
            )}
          </Card>
        )}
        <Card>
          <CardHeader title="Automate with the management API" description="Everything in this portal is also available under /api/v1." />
          <CardBody className="space-y-2 text-sm text-slate-600 dark:text-slate-400">
            <p>
              Create a personal access token under{" "}
              <a className="text-brand-700 underline underline-offset-2 dark:text-brand-100" href="/account/tokens">
                Access tokens
              </a>{" "}
              and send it as <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Authorization: Bearer …</code>.
            </p>
            <p>
              The API is described at{" "}
              <a className="text-brand-700 underline underline-offset-2 dark:text-brand-100" href="/api/v1/openapi.json">
                /api/v1/openapi.json
              </a>
              . Import from CI with <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">POST /api/v1/apis</code> and a multipart{" "}
              <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">definition</code> file.
            </p>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
