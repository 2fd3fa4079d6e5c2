"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { CopyButton } from "@/components/shared/copy-button";
import { useActionForm } from "@/components/shared/use-action-form";
import { createGatewayTokenAction } from "@/lib/actions/admin/create-gateway-token";
import { revokeGatewayTokenAction } from "@/lib/actions/admin/revoke-gateway-token";
import type { GatewayTokenView } from "@/lib/services/gateways/list-gateway-tokens";
import { formatDateTime } from "@/lib/domain/datetime";

/**
 * The named gateway tokens of a pull environment: one per gateway or replica group, each
 * shown once when created, listed with the instances that use it, and revocable on its own.
 */
export function GatewayTokensCard({ environment, tokens }: { environment: string; tokens: GatewayTokenView[] }) {
  const router = useRouter();
  const create = useActionForm(createGatewayTokenAction);
  const revoke = useActionForm(revokeGatewayTokenAction);
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    const issued = await create.run({ environment, name });
    if (!issued) return;
    setSecret({ name: issued.name, token: issued.token });
    setName("");
    toast.success(`Gateway token "${issued.name}" created`);
    router.refresh();
  }

  async function onRevoke(token: GatewayTokenView) {
    const using = token.instances.length ? ` ${token.instances.length} instance(s) use it and will stop syncing.` : "";
    if (!window.confirm(`Revoke the gateway token "${token.name}" of ${environment}?${using} Other tokens keep working.`)) return;
    if (await revoke.run({ environment, id: token.id })) {
      if (secret?.name === token.name) setSecret(null);
      toast.success(`Gateway token "${token.name}" revoked`);
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader
        title="Gateway tokens"
        description="Gateways authenticate to Meridian with a token to pull their snapshot and report heartbeats. Give each gateway or replica group a token of its own: revoking one cuts off only the gateways that use it."
      />
      <CardBody className="space-y-4">
        {secret && (
          <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 dark:border-emerald-800 dark:bg-emerald-950">
            <p className="text-sm font-medium">Copy the token &quot;{secret.name}&quot; now: it will not be shown again.</p>
            <div className="mt-2 flex items-center gap-2">
              <code data-testid="gateway-token" className="flex-1 rounded bg-white px-3 py-2 font-mono text-sm break-all dark:bg-slate-900">
                {secret.token}
              </code>
              <CopyButton value={secret.token} label="Copy token" />
            </div>
          </div>
        )}
        <form onSubmit={onCreate} className="flex flex-wrap items-end gap-2">
          <Field id="gateway-token-name" label="Token name" error={create.fieldErrors.name} className="min-w-64 flex-1">
            <Input
              id="gateway-token-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="eu-west edge gateways"
              maxLength={64}
              aria-invalid={!!create.fieldErrors.name}
              aria-describedby={create.fieldErrors.name ? "gateway-token-name-error" : undefined}
            />
          </Field>
          <Button type="submit" disabled={create.pending}>
            Create token
          </Button>
        </form>
      </CardBody>
      {tokens.length === 0 ? (
        <CardBody>
          <EmptyState title="No gateway token yet">Create one and give it to the gateway as MERIDIAN_GATEWAY_TOKEN.</EmptyState>
        </CardBody>
      ) : (
        <Table aria-label="Gateway tokens">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Token</Th>
              <Th>Created</Th>
              <Th>Used by</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid={`gateway-token-row-${t.id}`}>
                <Td className="font-medium">{t.name}</Td>
                <Td className="font-mono text-xs">{t.prefix}…</Td>
                <Td>{formatDateTime(t.createdAt)}</Td>
                <Td>
                  {t.instances.length === 0 ? (
                    <span className="text-slate-500">no instance yet</span>
                  ) : (
                    <ul className="space-y-1">
                      {t.instances.map((i) => (
                        <li key={i.instanceId} className="flex items-center gap-2">
                          <span className="font-mono text-xs">{i.instanceId}</span>
                          {i.status === "healthy" ? <Badge tone="green">healthy</Badge> : <Badge tone="red">stale</Badge>}
                        </li>
                      ))}
                    </ul>
                  )}
                </Td>
                <Td className="text-right">
                  <Button variant="danger" onClick={() => onRevoke(t)} disabled={revoke.pending} aria-label={`Revoke token ${t.name}`}>
                    Revoke
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
