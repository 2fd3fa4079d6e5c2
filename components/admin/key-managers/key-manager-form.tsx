"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { createKeyManagerAction } from "@/lib/actions/admin/create-key-manager";

const list = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Registers an OpenID provider by its issuer. */
export function KeyManagerForm() {
  const router = useRouter();
  const create = useActionForm(createKeyManagerAction);
  const errors = create.fieldErrors;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const registrationToken = String(form.get("registrationToken") ?? "");
    const saved = await create.run({
      name: String(form.get("name") ?? ""),
      displayName: String(form.get("displayName") ?? "") || undefined,
      issuer: String(form.get("issuer") ?? ""),
      audiences: list(form.get("audiences")),
      clientIdClaim: String(form.get("clientIdClaim") ?? "") || undefined,
      registrationToken: registrationToken || null,
    });
    if (saved) {
      toast.success(`${saved.displayName} registered`);
      formElement.reset();
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" noValidate aria-label="Register an OpenID provider">
      <div className="md:col-span-2">
        <FormError message={Object.keys(errors).length === 0 ? create.error : null} />
      </div>
      <Field
        id="km-issuer"
        label="Issuer URL"
        help="As the provider names itself, e.g. https://idp.example.com/realms/acme."
        error={errors.issuer}
        className="md:col-span-2"
      >
        <Input
          id="km-issuer"
          name="issuer"
          required
          placeholder="https://idp.example.com/realms/acme"
          autoComplete="off"
          aria-invalid={!!errors.issuer}
        />
      </Field>
      <Field id="km-name" label="Name" help="Lowercase letters, digits and dashes." error={errors.name}>
        <Input id="km-name" name="name" required placeholder="corporate-idp" autoComplete="off" aria-invalid={!!errors.name} />
      </Field>
      <Field id="km-display-name" label="Display name" error={errors.displayName}>
        <Input id="km-display-name" name="displayName" placeholder="Corporate IdP" />
      </Field>
      <Field
        id="km-audiences"
        label="Accepted audiences"
        help="Comma-separated; a token must carry one of them in aud."
        error={errors.audiences}
      >
        <Input id="km-audiences" name="audiences" required placeholder="https://api.example.com" aria-invalid={!!errors.audiences} />
      </Field>
      <Field
        id="km-claim"
        label="Client id claim"
        help="The token claim that names the client: client_id, azp, …"
        error={errors.clientIdClaim}
      >
        <Input id="km-claim" name="clientIdClaim" defaultValue="client_id" />
      </Field>
      <Field
        id="km-registration-token"
        label="Registration access token (optional)"
        help="The initial access token for dynamic client registration (RFC 7591), when the provider requires one. Stored encrypted."
        error={errors.registrationToken}
        className="md:col-span-2"
      >
        <Input id="km-registration-token" name="registrationToken" type="password" autoComplete="off" />
      </Field>
      <div className="md:col-span-2">
        <Button type="submit" disabled={create.pending}>
          {create.pending ? "Reading the discovery document…" : "Register"}
        </Button>
      </div>
    </form>
  );
}
