"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { signUpAction } from "@/lib/actions/public/sign-up";

export function SignUpForm() {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(signUpAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const created = await run({ email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), password });
    if (!created) return;
    await signIn("credentials", { email: created.email, password, redirect: false });
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Create your account</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">Browse APIs, create applications and subscribe.</p>
      <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
      <Field id="name" label="Name" error={fieldErrors.name}>
        <Input id="name" name="name" autoComplete="name" />
      </Field>
      <Field id="email" label="Email" error={fieldErrors.email}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={!!fieldErrors.email}
          aria-describedby={fieldErrors.email ? "email-error" : undefined}
        />
      </Field>
      <Field
        id="password"
        label="Password"
        help="At least 10 characters, mixing letters with digits or symbols."
        error={fieldErrors.password}
      >
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!fieldErrors.password}
          aria-describedby={fieldErrors.password ? "password-error" : "password-help"}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-brand-600 dark:text-brand-100 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
