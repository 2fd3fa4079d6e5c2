"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { updateApplicationAction } from "@/lib/actions/developer/update-application";
import type { ApplicationView } from "@/lib/services/applications/application-dto";
import { PolicySelect, type PolicyOption } from "./policy-select";

export function ApplicationSettingsForm({ app, policies }: { app: ApplicationView; policies: PolicyOption[] }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(updateApplicationAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      description: String(form.get("description") ?? ""),
      policy: String(form.get("policy") ?? "") || null,
    };
    if (await run({ id: app.id, input })) {
      toast.success("Application saved");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader title="Settings" />
      <CardBody>
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <Field id="edit-name" label="Name" error={fieldErrors.name}>
            <Input id="edit-name" name="name" defaultValue={app.name} required maxLength={100} aria-invalid={!!fieldErrors.name} />
          </Field>
          <Field id="edit-description" label="Description" error={fieldErrors.description}>
            <Input id="edit-description" name="description" defaultValue={app.description} maxLength={1000} />
          </Field>
          <PolicySelect id="edit-policy" policies={policies} defaultValue={app.policy} error={fieldErrors.policy} />
          <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
