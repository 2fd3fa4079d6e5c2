"use client";

import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { ago } from "@/lib/connectors/heartbeat";
import type { GatewayInstances } from "@/lib/services/gateways/list-instances";
import { useGatewayInstancesQuery } from "./use-gateway-instances-query";
import { formatDateTime } from "@/lib/domain/datetime";

/** Instances that reported in the last 24 hours: healthy or stale (60 s without a heartbeat), and the version they serve. */
export function GatewayInstancesTable({ name, initial }: { name: string; initial: GatewayInstances }) {
  const { data, error } = useGatewayInstancesQuery(name, initial);
  return (
    <Card>
      <CardHeader
        title="Gateway instances"
        description={
          <>
            Current snapshot version{" "}
            <span className="font-mono" data-testid="snapshot-version">
              {data.snapshotVersion}
            </span>
            . An instance is stale after 60 s without a heartbeat.
          </>
        }
      />
      {error && (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600">
          {error.message}
        </p>
      )}
      {data.items.length === 0 ? (
        <CardBody>
          <EmptyState title="No instance has reported yet">
            Start a gateway with this environment&apos;s token; it appears here after its first heartbeat.
          </EmptyState>
        </CardBody>
      ) : (
        <Table aria-label="Gateway instances">
          <thead>
            <tr>
              <Th>Instance</Th>
              <Th>Region</Th>
              <Th>Snapshot applied</Th>
              <Th>Last seen</Th>
              <Th>Status</Th>
              <Th>Last error</Th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((i) => (
              <tr key={i.instanceId}>
                <Td className="font-mono text-xs">{i.instanceId}</Td>
                <Td>{i.region || "—"}</Td>
                <Td>
                  <span className="font-mono">{i.appliedVersion}</span> of {data.snapshotVersion}{" "}
                  {i.upToDate ? <Badge tone="green">current</Badge> : <Badge tone="amber">behind</Badge>}
                </Td>
                <Td title={formatDateTime(i.lastSeenAt, { seconds: true })}>{ago(i.lastSeenSecondsAgo * 1000)}</Td>
                <Td>{i.status === "healthy" ? <Badge tone="green">healthy</Badge> : <Badge tone="red">stale</Badge>}</Td>
                <Td className="max-w-md text-xs" data-testid="instance-last-error">
                  {i.lastError ? (
                    <span className="text-red-700 dark:text-red-400" title={formatDateTime(i.lastError.at, { seconds: true })}>
                      {i.lastError.version ? `Version ${i.lastError.version} not applied: ` : ""}
                      {i.lastError.message}
                    </span>
                  ) : (
                    "—"
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
