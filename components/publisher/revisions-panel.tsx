"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, FormError, Input } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useActionForm } from "@/components/shared/use-action-form";
import { createRevisionAction } from "@/lib/actions/publisher/create-revision";
import { deleteRevisionAction } from "@/lib/actions/publisher/delete-revision";
import { restoreRevisionAction } from "@/lib/actions/publisher/restore-revision";
import type { RevisionSummary } from "@/lib/services/apis/revision-dto";
import { formatDateTime } from "@/lib/domain/datetime";

const when = (iso: string) => formatDateTime(iso);

export function RevisionsPanel({
  apiId,
  revisions,
  maxRevisions,
  canWrite,
}: {
  apiId: string;
  revisions: RevisionSummary[];
  maxRevisions: number;
  canWrite: boolean;
}) {
  const router = useRouter();
  const create = useActionForm(createRevisionAction);
  const restore = useActionForm(restoreRevisionAction);
  const remove = useActionForm(deleteRevisionAction);
  const full = revisions.length >= maxRevisions;

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const description = String(new FormData(formElement).get("description") ?? "");
    const revision = await create.run({ id: apiId, input: { description } });
    if (revision) {
      toast.success(`Revision ${revision.number} created`);
      formElement.reset();
      router.refresh();
    }
  }

  async function onRestore(r: RevisionSummary) {
    if (
      !window.confirm(
        `Restore revision ${r.number}? The working copy's document and settings are replaced by it (create a revision first to keep the current ones).`,
      )
    )
      return;
    if (await restore.run({ id: apiId, revisionId: r.id })) {
      toast.success(`Revision ${r.number} restored into the working copy`);
      router.refresh();
    }
  }

  async function onDelete(r: RevisionSummary) {
    if (!window.confirm(`Delete revision ${r.number}? This cannot be undone.`)) return;
    if (await remove.run({ id: apiId, revisionId: r.id })) {
      toast.success(`Revision ${r.number} deleted`);
      router.refresh();
    }
  }

  return (
    <div className="space-y-6">
      {canWrite && (
        <Card>
          <CardHeader
            title="Create a revision"
            description={`A revision is an immutable snapshot of the document and the settings; deployments name one. Meridian keeps at most ${maxRevisions} per API: at the limit, delete one before creating another.`}
          />
          <CardBody>
            <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3" noValidate>
              <Field
                id="revision-description"
                label="Description"
                error={create.fieldErrors["input.description"]}
                className="min-w-72 flex-1"
              >
                <Input id="revision-description" name="description" placeholder="What changed" maxLength={500} />
              </Field>
              <Button type="submit" disabled={create.pending || full}>
                {create.pending ? "Creating…" : "Create revision"}
              </Button>
            </form>
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400" data-testid="revision-count">
              {revisions.length} of {maxRevisions} revisions kept.
              {full && " The limit is reached: delete a revision that is not deployed to create a new one."}
            </p>
            <FormError message={create.error} />
          </CardBody>
        </Card>
      )}
      <Card>
        <CardHeader title="Revisions" />
        {revisions.length === 0 ? (
          <CardBody>
            <EmptyState title="No revisions yet">Create one to snapshot the current document and settings.</EmptyState>
          </CardBody>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Revision</Th>
                <Th>Description</Th>
                <Th>Created</Th>
                <Th className="text-right">Operations</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.id} data-testid={`revision-${r.number}`}>
                  <Td className="font-medium whitespace-nowrap">
                    Revision {r.number} {r.deployed && <Badge tone="green">deployed</Badge>}
                  </Td>
                  <Td className="text-sm">{r.description || <span className="text-slate-500 dark:text-slate-400">—</span>}</Td>
                  <Td className="text-xs whitespace-nowrap">
                    {when(r.createdAt)}
                    <div className="text-slate-600 dark:text-slate-400">{r.createdByEmail}</div>
                  </Td>
                  <Td className="text-right tabular-nums">{r.operationCount}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {canWrite && (
                      <span className="inline-flex gap-2">
                        <Button
                          variant="secondary"
                          size="sm"
                          onClick={() => onRestore(r)}
                          disabled={restore.pending}
                          aria-label={`Restore revision ${r.number}`}
                        >
                          Restore
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          onClick={() => onDelete(r)}
                          disabled={remove.pending || r.deployed}
                          title={r.deployed ? "Undeploy it first" : undefined}
                          aria-label={`Delete revision ${r.number}`}
                        >
                          Delete
                        </Button>
                      </span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <FormError message={restore.error ?? remove.error} />
      </Card>
    </div>
  );
}
