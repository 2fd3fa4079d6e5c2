"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { acceptInvitationAction } from "@/lib/actions/public/accept-invitation";

export function AcceptInvitationForm({ token, email, name }: { token: string; email: string; name: string }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(acceptInvitationAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const accepted = await run({ token, password, name: String(form.get("name") ?? "") || undefined });
    if (!accepted) return;
    await signIn("credentials", { email, password, redirect: false });
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Welcome to Meridian</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">Set a password for {email}.</p>
      <FormError message={error && !fieldErrors.password ? error : null} />
      <Field id="name" label="Name">
        <Input id="name" name="name" defaultValue={name} autoComplete="name" />
      </Field>
      <Field
        id="password"
        label="Password"
        help="At least 10 characters, mixing letters with digits or symbols."
        error={fieldErrors.password}
      >
        <Input id="password" name="password" type="password" autoComplete="new-password" required aria-invalid={!!fieldErrors.password} />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set password and sign in"}
      </Button>
    </form>
  );
}
