"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, FormError, Input } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { CopyButton } from "@/components/shared/copy-button";
import { useActionForm } from "@/components/shared/use-action-form";
import { createTokenAction } from "@/lib/actions/account/create-token";
import { revokeTokenAction } from "@/lib/actions/account/revoke-token";
import type { PublicToken } from "@/lib/services/tokens/token-dto";
import { formatDate, formatDateTime } from "@/lib/domain/datetime";

const STATUS_TONE = { active: "green", expired: "amber", revoked: "red" } as const;

export function TokensClient({ tokens }: { tokens: PublicToken[] }) {
  const router = useRouter();
  const create = useActionForm(createTokenAction);
  const revoke = useActionForm(revokeTokenAction);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get("expiresInDays") ?? "");
    const result = await create.run({ name: String(form.get("name") ?? ""), expiresInDays: days ? Number(days) : undefined });
    if (!result) return;
    setSecret({ name: result.record.name, token: result.token });
    formElement.reset();
    router.refresh();
  }

  async function onRevoke(token: PublicToken) {
    if (!window.confirm(`Revoke "${token.name}"? Scripts using it stop working at once.`)) return;
    if (await revoke.run({ id: token.id })) {
      toast.success(`Token "${token.name}" revoked`);
      router.refresh();
    }
  }

  return (
    <div className="space-y-6">
      {secret && (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950">
          <p className="text-sm font-medium">Token &quot;{secret.name}&quot; created. Copy it now: it will not be shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="flex-1 rounded bg-white px-3 py-2 font-mono text-sm break-all dark:bg-slate-900">
              {secret.token}
            </code>
            <CopyButton value={secret.token} label="Copy token" />
          </div>
        </div>
      )}
      <Card>
        <CardHeader title="Create a token" />
        <CardBody>
          <form onSubmit={onCreate} className="flex flex-wrap items-end gap-4" noValidate>
            <Field id="token-name" label="Name" error={create.fieldErrors.name} className="min-w-60 flex-1">
              <Input id="token-name" name="name" placeholder="ci-pipeline" required maxLength={100} />
            </Field>
            <Field
              id="token-expiry"
              label="Expires in (days)"
              help="Leave empty for no expiry."
              error={create.fieldErrors.expiresInDays}
              className="w-48"
            >
              <Input id="token-expiry" name="expiresInDays" type="number" min={1} max={3650} />
            </Field>
            <Button type="submit" disabled={create.pending}>
              {create.pending ? "Creating…" : "Create token"}
            </Button>
          </form>
          <FormError message={create.error && Object.keys(create.fieldErrors).length === 0 ? create.error : null} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Your tokens" />
        {tokens.length === 0 ? (
          <CardBody>
            <EmptyState title="No tokens yet">Create one above to call the management API from scripts.</EmptyState>
          </CardBody>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Token</Th>
                <Th>Status</Th>
                <Th>Expires</Th>
                <Th>Last used</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <Td className="font-medium">{t.name}</Td>
                  <Td className="font-mono text-xs">{t.prefix}…</Td>
                  <Td>
                    <Badge tone={STATUS_TONE[t.status]}>{t.status}</Badge>
                  </Td>
                  <Td>{t.expiresAt ? formatDate(t.expiresAt) : "Never"}</Td>
                  <Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</Td>
                  <Td className="text-right">
                    {t.status === "active" && (
                      <Button variant="secondary" size="sm" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
