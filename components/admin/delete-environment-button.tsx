"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { deleteEnvironmentAction } from "@/lib/actions/admin/delete-environment";

export function DeleteEnvironmentButton({ name }: { name: string }) {
  const router = useRouter();
  const remove = useActionForm(deleteEnvironmentAction);
  async function onDelete() {
    if (!window.confirm(`Delete the environment ${name}? Its gateway token stops working and its settings are lost.`)) return;
    if (await remove.run({ name })) {
      toast.success(`Environment ${name} deleted`);
      router.push("/admin/environments");
    }
  }
  return (
    <div className="space-y-3">
      <FormError message={remove.error} />
      <Button variant="danger" onClick={onDelete} disabled={remove.pending}>
        Delete environment
      </Button>
    </div>
  );
}
