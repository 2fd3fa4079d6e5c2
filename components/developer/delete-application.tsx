"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { deleteApplicationAction } from "@/lib/actions/developer/delete-application";

export function DeleteApplication({ id, name, subscriptionCount }: { id: string; name: string; subscriptionCount: number }) {
  const router = useRouter();
  const remove = useActionForm(deleteApplicationAction);

  async function onDelete() {
    const subs =
      subscriptionCount === 0
        ? ""
        : ` Its ${subscriptionCount} subscription${subscriptionCount === 1 ? "" : "s"} end${subscriptionCount === 1 ? "s" : ""} with it.`;
    if (!window.confirm(`Delete ${name} with its credentials and API keys?${subs} This cannot be undone.`)) return;
    if (await remove.run({ id })) {
      toast.success(`${name} deleted`);
      router.push("/applications");
    }
  }

  return (
    <Card>
      <CardHeader title="Delete the application" />
      <CardBody className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-slate-600 dark:text-slate-400">Its tokens, API keys and subscriptions stop working within seconds.</p>
        <Button variant="danger" size="sm" onClick={onDelete} disabled={remove.pending}>
          {remove.pending ? "Deleting…" : "Delete application"}
        </Button>
        <FormError message={remove.error} />
      </CardBody>
    </Card>
  );
}
