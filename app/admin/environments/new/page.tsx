import type { Metadata } from "next";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EnvironmentForm } from "@/components/admin/environment-form";
import { requirePageActor } from "@/lib/auth/guards";
import { connectorCatalog } from "@/lib/connectors/catalog";

export const metadata: Metadata = { title: "New environment" };

export default async function NewEnvironmentPage() {
  await requirePageActor("environments:write");
  return (
    <>
      <PageHeader
        title="New environment"
        description="Register a gateway. Secrets are encrypted at rest and never shown again; test the connection once it is saved."
      />
      <Card>
        <CardBody>
          <EnvironmentForm types={connectorCatalog()} />
        </CardBody>
      </Card>
    </>
  );
}
