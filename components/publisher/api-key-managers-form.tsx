"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { KeyManagerChecklist, ProblemAlert, type KeyManagerOption } from "@/components/shared/key-manager-checklist";
import { useActionForm } from "@/components/shared/use-action-form";
import { setApiKeyManagersAction } from "@/lib/actions/publisher/set-api-key-managers";

const sameSet = (a: ReadonlySet<string>, b: readonly string[]) => a.size === b.length && b.every((id) => a.has(id));

/** Which key managers' access tokens the gateways accept for this API; saved on its own. */
export function ApiKeyManagersForm({
  apiId,
  options,
  accepted,
  oauth2,
}: {
  apiId: string;
  options: KeyManagerOption[];
  accepted: string[];
  oauth2: boolean;
}) {
  const router = useRouter();
  const { run, pending, error, code } = useActionForm(setApiKeyManagersAction);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(accepted));
  const [localError, setLocalError] = useState<string | null>(null);
  const onlyBuiltin = options.every((o) => o.type === "builtin");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chosen.size === 0) {
      setLocalError("Choose at least one key manager: an API without one accepts no tokens at all.");
      return;
    }
    setLocalError(null);
    const saved = await run({ id: apiId, keyManagerIds: [...chosen] });
    if (saved) {
      toast.success("Key managers saved");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader
        title="Key managers"
        description="Whose access tokens the gateways accept for this API. Consumers get credentials from these on their application page."
      />
      <CardBody>
        <form onSubmit={onSubmit} className="space-y-3" aria-label="Key managers" aria-busy={pending} noValidate>
          {!oauth2 && (
            <p className="text-sm text-amber-700 dark:text-amber-300">
              This API is not secured with OAuth2 now: the choice applies once its security scheme is OAuth2.
            </p>
          )}
          <KeyManagerChecklist
            label="Accepted key managers"
            options={options}
            chosen={chosen}
            onChange={(next) => {
              setChosen(next);
              setLocalError(null);
            }}
            disabled={pending}
            describedBy="api-km-help"
          />
          <p id="api-km-help" className="text-xs text-slate-500 dark:text-slate-400">
            {onlyBuiltin ? (
              <>
                No OpenID providers are registered yet; an admin registers them under{" "}
                <Link className="text-brand-700 hover:underline dark:text-brand-100" href="/admin/key-managers">
                  Admin → Key managers
                </Link>
                . Until then Meridian&apos;s own key manager issues this API&apos;s tokens.
              </>
            ) : (
              "Gateways pick the change up with their next snapshot. An environment may restrict the key managers it trusts further."
            )}
          </p>
          <ProblemAlert message={localError ?? error} code={localError ? null : code} />
          <div className="flex justify-end">
            <Button type="submit" disabled={pending || sameSet(chosen, accepted)}>
              {pending ? "Saving…" : "Save key managers"}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
