"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { KeyManagerChecklist, ProblemAlert, type KeyManagerOption } from "@/components/shared/key-manager-checklist";
import { useActionForm } from "@/components/shared/use-action-form";
import { setEnvironmentKeyManagersAction } from "@/lib/actions/admin/set-environment-key-managers";

/**
 * The key managers an environment's gateways may trust: whatever its APIs accept, or only the
 * ones ticked (an API deployed there keeps the key managers both accept).
 */
export function EnvironmentKeyManagersForm({
  environment,
  options,
  restricted,
  trusted,
}: {
  environment: string;
  options: KeyManagerOption[];
  restricted: boolean;
  trusted: string[];
}) {
  const router = useRouter();
  const { run, pending, error, code } = useActionForm(setEnvironmentKeyManagersAction);
  const [only, setOnly] = useState(restricted);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(trusted));
  const [localError, setLocalError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (only && chosen.size === 0) {
      setLocalError("Tick at least one key manager, or trust every key manager the APIs accept.");
      return;
    }
    setLocalError(null);
    const saved = await run({ name: environment, keyManagerIds: only ? [...chosen] : [] });
    if (saved) {
      toast.success("Trusted key managers saved");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader title="Trusted key managers" description="Whose access tokens this environment's gateways accept at all." />
      <CardBody>
        <form onSubmit={onSubmit} className="space-y-3" aria-label="Trusted key managers" aria-busy={pending} noValidate>
          <fieldset className="flex flex-wrap gap-4" disabled={pending}>
            <legend className="sr-only">Restriction</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="kmMode" value="any" checked={!only} onChange={() => setOnly(false)} /> Every key manager its APIs
              accept
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="kmMode" value="only" checked={only} onChange={() => setOnly(true)} /> Only the key managers ticked
              below
            </label>
          </fieldset>
          <KeyManagerChecklist
            label="Trusted key managers"
            options={options}
            chosen={chosen}
            onChange={(next) => {
              setChosen(next);
              setLocalError(null);
            }}
            disabled={pending || !only}
          />
          <ProblemAlert message={localError ?? error} code={localError ? null : code} />
          <div className="flex justify-end">
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save trusted key managers"}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
