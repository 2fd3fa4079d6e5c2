"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { createKeyManagerClientAction } from "@/lib/actions/developer/create-key-manager-client";
import { deleteKeyManagerClientAction } from "@/lib/actions/developer/delete-key-manager-client";
import type { KeyManagerChoice } from "@/lib/services/key-managers/get-key-manager";
import type { KeyManagerClientView } from "@/lib/services/key-managers/key-manager-clients";
import { SecretBox } from "./secret-box";

/**
 * The application's clients at external key managers: Meridian registers one where the provider
 * offers dynamic registration; otherwise the owner maps an existing client with its secret.
 */
export function ExternalClientsPanel({
  applicationId,
  clients,
  keyManagers,
}: {
  applicationId: string;
  clients: KeyManagerClientView[];
  keyManagers: KeyManagerChoice[];
}) {
  const router = useRouter();
  const create = useActionForm(createKeyManagerClientAction);
  const remove = useActionForm(deleteKeyManagerClientAction);
  const [keyManagerId, setKeyManagerId] = useState(keyManagers[0]?.id ?? "");
  const [mapExisting, setMapExisting] = useState(false);
  const [secret, setSecret] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const chosen = keyManagers.find((k) => k.id === keyManagerId);
  const mapping = mapExisting || (chosen ? !chosen.dynamicRegistration : false);
  const errors = create.fieldErrors;

  if (keyManagers.length === 0) return null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      keyManagerId,
      keyType: String(form.get("keyType") ?? "production"),
      ...(mapping ? { clientId: String(form.get("clientId") ?? ""), clientSecret: String(form.get("clientSecret") ?? "") } : {}),
    };
    const result = await create.run({ id: applicationId, input });
    if (!result) return;
    setSecret(mapping ? null : { clientId: result.clientId, clientSecret: result.clientSecret });
    toast.success(mapping ? "Client mapped" : `Client registered at ${result.keyManagerName}`);
    router.refresh();
  }

  async function onDelete(client: KeyManagerClientView) {
    const what = client.mode === "registered" ? "It is deleted at the provider too." : "The client itself stays at the provider.";
    if (!window.confirm(`Remove client ${client.clientId}? ${what}`)) return;
    if (await remove.run({ id: applicationId, clientId: client.id })) {
      toast.success("Client removed");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader
        title="External key managers"
        description="Credentials from the identity providers your APIs accept: tokens come from the provider's token endpoint."
      />
      <CardBody className="space-y-4">
        {secret && (
          <SecretBox label="Copy the client secret now: it is not shown again." value={secret.clientSecret} testId="external-client-secret">
            <p className="text-xs">
              Client id <span className="font-mono">{secret.clientId}</span>
            </p>
          </SecretBox>
        )}
        {clients.length > 0 && (
          <Table aria-label="External clients">
            <thead>
              <tr>
                <Th>Key manager</Th>
                <Th>Keys</Th>
                <Th>Client id</Th>
                <Th>Token endpoint</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id}>
                  <Td>{c.keyManagerName}</Td>
                  <Td>{c.keyType}</Td>
                  <Td className="font-mono text-xs break-all">{c.clientId}</Td>
                  <Td className="font-mono text-xs break-all">{c.tokenEndpoint}</Td>
                  <Td className="text-right">
                    <Button
                      variant="danger-outline"
                      size="sm"
                      onClick={() => onDelete(c)}
                      disabled={remove.pending}
                      aria-label={`Remove client ${c.clientId}`}
                    >
                      Remove
                    </Button>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <form onSubmit={onSubmit} className="grid gap-3 md:grid-cols-2" noValidate aria-label="Get credentials from a key manager">
          <div className="md:col-span-2">
            <FormError message={Object.keys(errors).length === 0 ? create.error : null} />
          </div>
          <Field id="ext-km" label="Key manager" error={errors.keyManagerId}>
            <Select id="ext-km" value={keyManagerId} onChange={(e) => setKeyManagerId(e.target.value)}>
              {keyManagers.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.displayName}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="ext-key-type" label="Keys">
            <Select id="ext-key-type" name="keyType" defaultValue="production">
              <option value="production">Production</option>
              <option value="sandbox">Sandbox</option>
            </Select>
          </Field>
          {chosen?.dynamicRegistration && (
            <label className="flex items-center gap-2 text-sm md:col-span-2">
              <input type="checkbox" checked={mapExisting} onChange={(e) => setMapExisting(e.target.checked)} /> Use a client I already have
              at this provider
            </label>
          )}
          {mapping && (
            <>
              <Field id="ext-client-id" label="Client id" error={errors.clientId}>
                <Input id="ext-client-id" name="clientId" autoComplete="off" aria-invalid={!!errors.clientId} />
              </Field>
              <Field
                id="ext-client-secret"
                label="Client secret"
                help="Used once to get a token that proves the client is yours."
                error={errors.clientSecret}
              >
                <Input id="ext-client-secret" name="clientSecret" type="password" autoComplete="off" aria-invalid={!!errors.clientSecret} />
              </Field>
            </>
          )}
          <div className="md:col-span-2">
            <Button type="submit" disabled={create.pending}>
              {create.pending ? "Asking the provider…" : mapping ? "Map the client" : "Get credentials"}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
