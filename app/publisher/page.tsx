import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Publisher" };

export default async function PublisherHome() {
  const actor = await requirePageActor("portal:publisher");
  return (
    <>
      <PageHeader title="Publisher portal" description={`Signed in as ${actor.email}. Design and import APIs, version them, and deploy revisions to your gateways.`} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader title="Automate with the management API" description="Everything in this portal is also available under /api/v1." />
          <CardBody className="space-y-2 text-sm text-slate-600 dark:text-slate-400">
            <p>
              Create a personal access token under <a className="text-brand-600 hover:underline" href="/account/tokens">Access tokens</a> and send it as{" "}
              <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">Authorization: Bearer …</code>.
            </p>
            <p>
              The API is described at <a className="text-brand-600 hover:underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
            </p>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
