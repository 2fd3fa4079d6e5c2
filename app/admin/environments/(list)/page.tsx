import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { ConnectorTypesTable } from "@/components/admin/connector-types-table";
import { HealthBadge } from "@/components/admin/health-badge";
import { requirePageActor } from "@/lib/auth/guards";
import { connectorCatalog } from "@/lib/connectors/catalog";
import { listEnvironments } from "@/lib/services/environments/get-environment";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const actor = await requirePageActor("environments:write");
  const environments = await listEnvironments({ actor });
  return (
    <>
      <PageHeader
        title="Gateway environments"
        description="The gateways Meridian deploys APIs to and discovers APIs on, with their connection settings and health."
        actions={<ButtonLink href="/admin/environments/new">New environment</ButtonLink>}
      />
      <div className="space-y-6">
        <Card>
          {environments.length === 0 ? (
            <div className="p-5">
              <EmptyState title="No environment yet" action={<ButtonLink href="/admin/environments/new">Register a gateway</ButtonLink>}>
                An environment is one gateway Meridian deploys to: its own built-in gateway, AWS, Azure, Kong, Envoy Gateway or an agent.
              </EmptyState>
            </div>
          ) : (
            <Table aria-label="Environments">
              <thead>
                <tr>
                  <Th>Environment</Th>
                  <Th>Type</Th>
                  <Th>Mode</Th>
                  <Th>Region</Th>
                  <Th>Health</Th>
                  <Th>Snapshot</Th>
                </tr>
              </thead>
              <tbody>
                {environments.map((e) => (
                  <tr key={e.id} data-testid={`environment-row-${e.name}`}>
                    <Td>
                      <Link
                        href={`/admin/environments/${e.name}`}
                        className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                      >
                        {e.displayName}
                      </Link>
                      <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{e.name}</div>
                    </Td>
                    <Td>{e.typeLabel}</Td>
                    <Td className="text-xs">{e.mode}</Td>
                    <Td>{e.region || "—"}</Td>
                    <Td>{e.health && <HealthBadge health={e.health} />}</Td>
                    <Td className="font-mono text-xs">v{e.snapshotVersion}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Gateway types"
            description="The connectors Meridian has: how each reaches its gateway, the modes it offers and what the gateway can enforce."
          />
          <ConnectorTypesTable types={connectorCatalog()} />
        </Card>
      </div>
    </>
  );
}
