"use client";

import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { SnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";
import { useSnapshotPropagationQuery } from "./use-snapshot-propagation-query";

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** Sync at a glance: how many healthy instances serve which version, and how fast the last change reached them. */
export function SnapshotPropagationCard({ name, initial }: { name: string; initial: SnapshotPropagation }) {
  const { data, error } = useSnapshotPropagationQuery(name, initial);
  const behind = data.healthy - data.current;
  return (
    <Card>
      <CardHeader title="Propagation" description="What the healthy instances serve, from their heartbeats (every 10 s)." />
      {error && (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600">
          {error.message}
        </p>
      )}
      <CardBody>
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">On the current version</dt>
            <dd className="mt-1 text-lg font-semibold" data-testid="propagation-current">
              {data.current} of {data.healthy}{" "}
              {data.healthy === 0 ? (
                <Badge>no instance</Badge>
              ) : behind === 0 ? (
                <Badge tone="green">all</Badge>
              ) : (
                <Badge tone="amber">{behind} behind</Badge>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">Last change reached all</dt>
            <dd className="mt-1 text-lg font-semibold" data-testid="propagation-time">
              {data.reachedAllMs !== null
                ? `in ${duration(data.reachedAllMs)}`
                : data.healthy === 0 || data.changedAt === null
                  ? "—"
                  : "not yet"}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">Snapshot v{data.snapshotVersion}</dt>
            <dd className="mt-1 text-lg font-semibold">
              {size(data.gzipBytes)}{" "}
              <span className="text-sm font-normal text-slate-500 dark:text-slate-400">gzipped, {size(data.snapshotBytes)} whole</span>
            </dd>
          </div>
        </dl>
        {data.versions.length > 1 && (
          <ul className="mt-4 space-y-1 text-sm" aria-label="Instances by version">
            {data.versions.map((v) => (
              <li key={v.version}>
                <span className="font-mono">v{v.version}</span>: {v.instances} {v.instances === 1 ? "instance" : "instances"}
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
