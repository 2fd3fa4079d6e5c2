"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { deleteApiAction } from "@/lib/actions/publisher/delete-api";

export function DangerZone({ apiId, name }: { apiId: string; name: string }) {
  const router = useRouter();
  const remove = useActionForm(deleteApiAction);
  async function onDelete() {
    if (!window.confirm(`Delete ${name} with its revisions and documents? This cannot be undone.`)) return;
    if (await remove.run({ id: apiId })) {
      toast.success(`${name} deleted`);
      router.push("/publisher/apis");
    }
  }
  return (
    <Card>
      <CardHeader title="Versions and deletion" />
      <CardBody className="space-y-3 text-sm">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-slate-600 dark:text-slate-400">
            A new version is a copy of this API with its own lifecycle; this one is not changed.
          </p>
          <ButtonLink variant="secondary" size="sm" href={`/publisher/apis/new?tab=version&from=${apiId}`}>
            Create a new version
          </ButtonLink>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-3 dark:border-slate-800">
          <p className="text-slate-600 dark:text-slate-400">
            An API can be deleted only when it is deployed nowhere and has no active subscriptions.
          </p>
          <Button variant="danger" size="sm" onClick={onDelete} disabled={remove.pending}>
            {remove.pending ? "Deleting…" : "Delete API"}
          </Button>
        </div>
        <FormError message={remove.error} />
      </CardBody>
    </Card>
  );
}
