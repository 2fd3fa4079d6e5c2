"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useActionForm } from "@/components/shared/use-action-form";
import { discoverEnvironmentAction } from "@/lib/actions/admin/discover-environment";
import { importDiscoveredAction } from "@/lib/actions/admin/import-discovered";
import { discoveryQueryKey, useDiscoveryQuery, type DiscoveryData } from "./use-discovery-query";
import { formatDateTime } from "@/lib/domain/datetime";

const STATE_TONE: Record<string, BadgeTone> = { new: "brand", updated: "amber", unchanged: "neutral", gone: "red" };
const STATE_LABEL: Record<string, string> = { new: "New", updated: "Updated", unchanged: "Unchanged", gone: "Gone" };
const when = (iso: string) => formatDateTime(iso);

/** Discovery of the APIs that already run on a gateway: on demand, on the interval, with import. */
export function DiscoveryPanel({ name, initial, disabledReason }: { name: string; initial: DiscoveryData; disabledReason: string | null }) {
  const queryClient = useQueryClient();
  const { data, error } = useDiscoveryQuery(name, initial);
  const discover = useActionForm(discoverEnvironmentAction);
  const importApi = useActionForm(importDiscoveredAction);
  const job = data.lastJob;
  const running = job && (job.status === "queued" || job.status === "running");

  async function onDiscover() {
    if (await discover.run({ name })) {
      toast.success("Discovery started");
      await queryClient.invalidateQueries({ queryKey: discoveryQueryKey(name) });
    }
  }

  async function onImport(id: string, label: string) {
    const result = await importApi.run({ name, discoveredId: id });
    if (result) {
      toast.success(result.created ? `${label} imported` : `${label} updated from the gateway`);
      await queryClient.invalidateQueries({ queryKey: discoveryQueryKey(name) });
    }
  }

  const last = job?.steps[job.steps.length - 1];
  return (
    <Card>
      <CardHeader
        title="Discovery"
        description="The APIs that run on this gateway, compared with the previous listing. Import one to manage it in Meridian."
        actions={
          <Button onClick={onDiscover} disabled={!!disabledReason || discover.pending || !!running} title={disabledReason ?? undefined}>
            {running ? "Discovering…" : "Discover now"}
          </Button>
        }
      />
      <CardBody className="space-y-4">
        {disabledReason && <p className="text-sm text-slate-600 dark:text-slate-400">{disabledReason}</p>}
        <FormError message={discover.error ?? importApi.error ?? error?.message ?? null} />
        {job && (
          <p className="text-sm" role="status" aria-live="polite" data-testid="discovery-status">
            Last discovery:{" "}
            <Badge tone={job.status === "succeeded" ? "green" : job.status === "failed" ? "red" : "amber"}>{job.status}</Badge>{" "}
            {when(job.createdAt)}
            {last && (
              <span className="text-slate-600 dark:text-slate-400">
                {" "}
                — {last.step}
                {last.detail ? `: ${last.detail}` : ""}
              </span>
            )}
            {job.error && <span className="block text-red-700 dark:text-red-300">{job.error}</span>}
          </p>
        )}
        {data.items.length === 0 ? (
          <EmptyState title={job ? "No API found on this gateway" : "Not discovered yet"}>
            {job ? "The last listing was empty." : "Press Discover now to list what runs on this gateway."}
          </EmptyState>
        ) : (
          <Table aria-label="Discovered APIs">
            <thead>
              <tr>
                <Th>API</Th>
                <Th>State</Th>
                <Th>Backend</Th>
                <Th className="text-right">In Meridian</Th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id} data-external-id={item.externalId}>
                  <Td>
                    <div className="font-medium">{item.name}</div>
                    <div className="font-mono text-xs text-slate-600 dark:text-slate-400">
                      {item.externalId}
                      {item.version ? ` · ${item.version}` : ""}
                    </div>
                  </Td>
                  <Td>
                    <Badge tone={STATE_TONE[item.state]}>{STATE_LABEL[item.state]}</Badge>
                    {item.goneAt && <div className="text-xs text-slate-600 dark:text-slate-400">gone since {when(item.goneAt)}</div>}
                    {item.changes && (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs">
                          +{item.changes.added} −{item.changes.removed} lines
                        </summary>
                        <pre className="mt-1 max-h-72 max-w-xl overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950">
                          {item.changes.lines.map((l, i) => (
                            <div
                              key={i}
                              className={
                                l.kind === "added"
                                  ? "text-emerald-700 dark:text-emerald-300"
                                  : l.kind === "removed"
                                    ? "text-red-700 dark:text-red-300"
                                    : "text-slate-600 dark:text-slate-400"
                              }
                            >
                              {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : l.kind === "skipped" ? "  … " : "  "}
                              {l.text}
                            </div>
                          ))}
                        </pre>
                      </details>
                    )}
                  </Td>
                  <Td className="max-w-xs font-mono text-xs break-all text-slate-600 dark:text-slate-400">{item.upstreams[0] ?? "—"}</Td>
                  <Td className="text-right">
                    {item.importedApi && (
                      <Link
                        href={`/publisher/apis/${item.importedApi.id}`}
                        className="mr-2 text-sm text-brand-700 hover:underline dark:text-brand-100"
                      >
                        {item.importedApi.name}
                      </Link>
                    )}
                    {item.state !== "gone" && !item.hasDefinition && (
                      <span className="text-xs text-slate-600 dark:text-slate-400">No OpenAPI export to import</span>
                    )}
                    {item.state !== "gone" && item.hasDefinition && (!item.importedApi || !item.importedApi.upToDate) && (
                      <Button
                        size="sm"
                        variant="secondary"
                        onClick={() => onImport(item.id, item.name)}
                        disabled={importApi.pending}
                        aria-label={`${item.importedApi ? "Update" : "Import"} ${item.name}`}
                      >
                        {item.importedApi ? "Update" : "Import"}
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
