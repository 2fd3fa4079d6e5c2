"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { changeLifecycleAction } from "@/lib/actions/publisher/change-lifecycle";
import { LIFECYCLE_ACTION_LABELS, PUBLISH_REQUIRES_DEPLOYED_REVISION, type LifecycleAction } from "@/lib/domain/lifecycle";

const CONFIRM: Partial<Record<LifecycleAction, string>> = {
  block: "Block this API? Gateways refuse its calls until it is unblocked.",
  deprecate: "Deprecate this API? It keeps working but takes no new subscriptions.",
  retire: "Retire this API? It is withdrawn everywhere, and this cannot be undone.",
  "demote-to-created": "Demote this API to created? It disappears from the developer portal.",
};
const VARIANT: Partial<Record<LifecycleAction, ButtonVariant>> = {
  publish: "primary",
  unblock: "primary",
  retire: "danger",
  block: "danger",
};

export function LifecycleActions({ apiId, actions, canWrite }: { apiId: string; actions: LifecycleAction[]; canWrite: boolean }) {
  const router = useRouter();
  const { run, pending, error } = useActionForm(changeLifecycleAction);

  async function perform(action: LifecycleAction) {
    const question = CONFIRM[action];
    if (question && !window.confirm(question)) return;
    const result = await run({ id: apiId, input: { action } });
    if (result) {
      toast.success(`${LIFECYCLE_ACTION_LABELS[action]}: now ${result.lifecycleState.toLowerCase()}`);
      router.refresh();
    }
  }

  return (
    <div className="space-y-3">
      {actions.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No further change is possible: a retired API stays retired.</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {actions.map((action) => (
            <Button key={action} variant={VARIANT[action] ?? "secondary"} onClick={() => perform(action)} disabled={pending || !canWrite}>
              {LIFECYCLE_ACTION_LABELS[action]}
            </Button>
          ))}
        </div>
      )}
      {(actions.includes("publish") || actions.includes("unblock")) && (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="publish-rule">
          {PUBLISH_REQUIRES_DEPLOYED_REVISION
            ? "Publishing requires a revision deployed to at least one gateway environment."
            : "Publishing does not require a deployed revision: it lists the API in the developer portal. Deploy a revision to serve calls."}
        </p>
      )}
      <FormError message={error} />
    </div>
  );
}
