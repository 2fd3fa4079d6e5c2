"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createApplicationAction } from "@/lib/actions/developer/create-application";
import { PolicySelect, type PolicyOption } from "./policy-select";

/** After creating, the user goes back where they came from (an API page) or to the new application. */
export function CreateApplicationForm({ policies, returnTo }: { policies: PolicyOption[]; returnTo?: string }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(createApplicationAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const created = await run({
      name: String(form.get("name") ?? ""),
      description: String(form.get("description") ?? ""),
      policy: String(form.get("policy") ?? "") || null,
    });
    if (!created) return;
    toast.success(`Application ${created.name} created`);
    router.push(returnTo ?? `/applications/${created.id}`);
  }

  return (
    <Card>
      <CardHeader
        title="Create an application"
        description="An application holds the credentials your code calls APIs with, and its subscriptions."
      />
      <CardBody>
        <form onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" noValidate>
          <Field id="app-name" label="Name" error={fieldErrors.name}>
            <Input
              id="app-name"
              name="name"
              required
              maxLength={100}
              placeholder="my-mobile-app"
              aria-invalid={!!fieldErrors.name}
              aria-describedby={fieldErrors.name ? "app-name-error" : undefined}
            />
          </Field>
          <PolicySelect id="app-policy" policies={policies} error={fieldErrors.policy} />
          <Field id="app-description" label="Description" error={fieldErrors.description} className="md:col-span-2">
            <Input id="app-description" name="description" maxLength={1000} placeholder="What the application does (optional)" />
          </Field>
          <div className="md:col-span-2">
            <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
            <Button type="submit" disabled={pending} className="mt-2">
              {pending ? "Creating…" : "Create application"}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
