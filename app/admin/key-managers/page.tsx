import type { Metadata } from "next";
import { KeyManagerForm } from "@/components/admin/key-managers/key-manager-form";
import { KeyManagersTable } from "@/components/admin/key-managers/key-managers-table";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listKeyManagers } from "@/lib/services/key-managers/get-key-manager";

export const metadata: Metadata = { title: "Key managers" };

export default async function KeyManagersPage() {
  const actor = await requirePageActor("environments:write");
  const { items, total } = await listKeyManagers({ pageSize: 100 }, { actor });
  return (
    <>
      <PageHeader
        title="Key managers"
        description="Who issues the access tokens gateways accept: Meridian's own key manager, and OpenID providers registered by their issuer."
      />
      <div className="space-y-6">
        <KeyManagersTable keyManagers={items} total={total} />
        <Card>
          <CardHeader
            title="Register an OpenID provider"
            description="Its discovery document (issuer + /.well-known/openid-configuration) and JWKS are read and checked before anything is saved."
          />
          <CardBody>
            <KeyManagerForm />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
