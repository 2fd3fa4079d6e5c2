import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EnvironmentKeyManagersForm } from "@/components/admin/key-managers/environment-key-managers-form";
import { keyManagerOptions } from "@/components/shared/key-manager-options";
import { DeleteEnvironmentButton } from "@/components/admin/delete-environment-button";
import { GatewayInstancesTable } from "@/components/admin/gateway-instances-table";
import { GatewayTokensCard } from "@/components/admin/gateway-tokens-card";
import { SnapshotPropagationCard } from "@/components/admin/snapshot-propagation-card";
import { requirePageActor } from "@/lib/auth/guards";
import { connectorCatalog } from "@/lib/connectors/catalog";
import { isAppError } from "@/lib/errors";
import { getEnvironment, getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { getEnvironmentKeyManagers } from "@/lib/services/key-managers/environment-key-managers";
import { listKeyManagers } from "@/lib/services/key-managers/get-key-manager";
import { listGatewayInstances } from "@/lib/services/gateways/list-instances";
import { listGatewayTokens } from "@/lib/services/gateways/list-gateway-tokens";
import { getSnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";
import { discoveryRefusal } from "@/lib/services/discovery/discover-environment";
import { DiscoveryPanel } from "@/components/admin/discovery-panel";
import { DriftPanel } from "@/components/shared/drift-panel";
import { canCheckDrift } from "@/lib/services/drift/check-drift";
import { listEnvironmentDrift } from "@/lib/services/drift/get-drift";
import { EnvironmentClient } from "./environment-client";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Environment ${(await params).name}` };
}

export default async function EnvironmentPage({ params }: Props) {
  const actor = await requirePageActor("environments:write");
  const { name } = await params;
  const ctx = { actor };
  const environment = await getEnvironment(name, ctx).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const types = connectorCatalog();
  const type = types.find((t) => t.type === environment.type)!;
  const pull = type.capabilities.delivery === "pull";
  const instances = pull ? await listGatewayInstances(name, ctx) : null;
  const tokens = pull ? await listGatewayTokens(name, ctx) : null;
  const propagation = pull ? await getSnapshotPropagation(name, ctx) : null;
  const discoverable = type.capabilities.discover;
  const discovered = discoverable ? await listDiscovered(name, ctx) : null;
  const row = discoverable ? await getEnvironmentRowOrThrow(name) : null;
  const [registered, trust] = await Promise.all([listKeyManagers({ pageSize: 100 }, ctx), getEnvironmentKeyManagers(name, ctx)]);
  const drift = canCheckDrift(environment.type) ? await listEnvironmentDrift(name, ctx) : null;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/admin/environments" className="text-brand-700 hover:underline dark:text-brand-100">
          Environments
        </Link>
        <span className="mx-1 text-slate-500 dark:text-slate-400">/</span>
        <span className="font-mono">{environment.name}</span>
      </nav>
      <PageHeader
        title={environment.displayName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="brand">{environment.typeLabel}</Badge>
            <Badge>{environment.mode}</Badge>
            {environment.region && <Badge>{environment.region}</Badge>}
            <span className="font-mono text-xs">snapshot v{environment.snapshotVersion}</span>
            {drift && (
              <span data-testid="environment-drift-counts" className="text-xs">
                {drift.counts.inSync} in sync · {drift.counts.drifted} drifted · {drift.counts.missing} missing
              </span>
            )}
          </span>
        }
      />
      <div className="space-y-6">
        <EnvironmentClient environment={environment} types={types}>
          {tokens && <GatewayTokensCard environment={environment.name} tokens={tokens.items} />}
          {propagation && <SnapshotPropagationCard name={environment.name} initial={propagation} />}
          {instances && <GatewayInstancesTable name={environment.name} initial={instances} />}
        </EnvironmentClient>
        <EnvironmentKeyManagersForm
          key={`km-${trust.restricted}-${trust.items.map((k) => k.id).join(",")}`}
          environment={environment.name}
          options={keyManagerOptions(registered.items, trust.items)}
          restricted={trust.restricted}
          trusted={trust.items.map((k) => k.id)}
        />
        {drift && <DriftPanel initial={drift.items} show="api" canAct />}
        {discovered && row && <DiscoveryPanel name={environment.name} initial={discovered} disabledReason={discoveryRefusal(row)} />}
        <Card>
          <CardHeader title="Danger zone" description="Deleting is refused while anything is deployed to this environment." />
          <CardBody>
            <DeleteEnvironmentButton name={environment.name} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
