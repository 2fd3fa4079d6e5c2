"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { updateSettingsAction } from "@/lib/actions/admin/update-settings";
import type { PlatformSettings } from "@/lib/domain/settings";

export function SettingsForm({ settings }: { settings: PlatformSettings }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(updateSettingsAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const saved = await run({
      selfSignup: form.get("selfSignup") === "on",
      subscriptionApproval: form.get("subscriptionApproval") === "on",
      accessTokenTtlSeconds: Number(form.get("accessTokenTtlSeconds")),
      apiKeyPrefix: String(form.get("apiKeyPrefix") ?? ""),
    });
    if (saved) {
      toast.success("Settings saved");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardBody>
        <form onSubmit={onSubmit} className="max-w-xl space-y-5" noValidate>
          <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
          <label className="flex items-start gap-3">
            <input type="checkbox" name="selfSignup" defaultChecked={settings.selfSignup} className="mt-1" />
            <span>
              <span className="block text-sm font-medium">Self sign-up</span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                Anyone can create a subscriber account in the developer portal.
              </span>
            </span>
          </label>
          <label className="flex items-start gap-3">
            <input type="checkbox" name="subscriptionApproval" defaultChecked={settings.subscriptionApproval} className="mt-1" />
            <span>
              <span className="block text-sm font-medium">Subscriptions need approval</span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                New subscriptions wait until an admin or the API&apos;s publisher approves them.
              </span>
            </span>
          </label>
          <Field
            id="accessTokenTtlSeconds"
            label="Access-token lifetime (seconds)"
            help="Between 60 and 86400."
            error={fieldErrors.accessTokenTtlSeconds}
          >
            <Input
              id="accessTokenTtlSeconds"
              name="accessTokenTtlSeconds"
              type="number"
              min={60}
              max={86400}
              defaultValue={settings.accessTokenTtlSeconds}
            />
          </Field>
          <Field
            id="apiKeyPrefix"
            label="API key prefix"
            help="Prefixed keys are easy to spot in logs and secret scanners."
            error={fieldErrors.apiKeyPrefix}
          >
            <Input id="apiKeyPrefix" name="apiKeyPrefix" defaultValue={settings.apiKeyPrefix} />
          </Field>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save settings"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
