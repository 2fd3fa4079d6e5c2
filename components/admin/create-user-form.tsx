"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { CopyButton } from "@/components/shared/copy-button";
import { useActionForm } from "@/components/shared/use-action-form";
import { createUserAction } from "@/lib/actions/admin/create-user";
import { ROLES, type Role } from "@/lib/auth/permissions";

export function CreateUserForm() {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(createUserAction);
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const roles = ROLES.filter((r) => form.get(`role-${r}`) === "on") as Role[];
    const result = await run({
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? ""),
      roles,
      password: String(form.get("password") ?? ""),
    });
    if (!result) return;
    setInviteUrl(result.invitationUrl);
    toast.success(result.invitationUrl ? `Invitation created for ${result.user.email}` : `User ${result.user.email} created`);
    formElement.reset();
    router.refresh();
  }

  return (
    <Card>
      <CardHeader
        title="Add a user"
        description="Leave the password empty to invite: you get a link, valid for 7 days, that lets them set their own."
      />
      <CardBody>
        <form onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" noValidate>
          <Field id="new-email" label="Email" error={fieldErrors.email}>
            <Input id="new-email" name="email" type="email" required aria-invalid={!!fieldErrors.email} />
          </Field>
          <Field id="new-name" label="Name" error={fieldErrors.name}>
            <Input id="new-name" name="name" />
          </Field>
          <Field id="new-password" label="Password (optional)" error={fieldErrors.password}>
            <Input id="new-password" name="password" type="password" autoComplete="new-password" />
          </Field>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Roles</legend>
            <div className="flex gap-4 pt-1">
              {ROLES.map((r) => (
                <label key={r} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name={`role-${r}`} defaultChecked={r === "subscriber"} /> {r}
                </label>
              ))}
            </div>
            {fieldErrors.roles && <p className="text-xs text-red-600">{fieldErrors.roles}</p>}
          </fieldset>
          <div className="md:col-span-2">
            <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
            <Button type="submit" disabled={pending} className="mt-2">
              {pending ? "Saving…" : "Add user"}
            </Button>
          </div>
        </form>
        {inviteUrl && (
          <div
            role="status"
            className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
          >
            <p className="font-medium">Send this invitation link; it is shown once.</p>
            <div className="mt-2 flex items-center gap-2">
              <code data-testid="invite-url" className="flex-1 font-mono text-xs break-all">
                {inviteUrl}
              </code>
              <CopyButton value={inviteUrl} label="Copy link" />
            </div>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
