"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { createApiKeyAction } from "@/lib/actions/developer/create-api-key";
import { revokeApiKeyAction } from "@/lib/actions/developer/revoke-api-key";
import type { PublicApiKey } from "@/lib/services/applications/api-keys";
import type { CallTarget } from "./credentials-panel";
import { buildCurl } from "./try-it/request-builder";
import { CommandLine, SecretBox } from "./secret-box";
import { formatDate } from "@/lib/domain/datetime";

function keyStatus(k: PublicApiKey): { label: string; tone: "green" | "amber" | "red" } {
  if (k.revokedAt) return { label: "Revoked", tone: "red" };
  if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now()) return { label: "Expired", tone: "amber" };
  return { label: "Active", tone: "green" };
}

/** API keys: created here and shown once, stored hashed; revoking one is enforced within seconds. */
export function ApiKeysPanel({ applicationId, keys, target }: { applicationId: string; keys: PublicApiKey[]; target: CallTarget | null }) {
  const router = useRouter();
  const create = useActionForm(createApiKeyAction);
  const revoke = useActionForm(revokeApiKeyAction);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get("expiresInDays") ?? "");
    const result = await create.run({
      id: applicationId,
      input: {
        name: String(form.get("name") ?? "") || "default",
        keyType: String(form.get("keyType")) as "production" | "sandbox",
        expiresInDays: days ? Number(days) : undefined,
      },
    });
    if (!result) return;
    setCreated({ name: result.record.name, key: result.key });
    formElement.reset();
    router.refresh();
  }

  async function onRevoke(k: PublicApiKey) {
    if (!window.confirm(`Revoke the API key "${k.name}"? Gateways refuse it within seconds.`)) return;
    if (await revoke.run({ id: applicationId, keyId: k.id })) {
      toast.success(`API key "${k.name}" revoked`);
      router.refresh();
    }
  }

  return (
    <Card aria-labelledby="api-keys-title">
      <CardHeader
        title={<span id="api-keys-title">API keys</span>}
        description="For APIs secured with API keys: send the key in the apikey header."
      />
      <CardBody className="space-y-4">
        {created && (
          <SecretBox
            label={`API key "${created.name}" created. Copy it now: it will not be shown again.`}
            value={created.key}
            testId="new-api-key"
          >
            {target && (
              <CommandLine
                label={`Call ${target.apiName}`}
                command={buildCurl({ method: "GET", url: target.url, headers: [["apikey", created.key]] })}
              />
            )}
          </SecretBox>
        )}
        <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3" noValidate>
          <Field id="key-name" label="Key name" error={create.fieldErrors["input.name"]} className="min-w-48 flex-1">
            <Input id="key-name" name="name" placeholder="default" maxLength={100} />
          </Field>
          <Field id="key-type" label="Key type" className="w-36">
            <Select id="key-type" name="keyType" defaultValue="production">
              <option value="production">Production</option>
              <option value="sandbox">Sandbox</option>
            </Select>
          </Field>
          <Field id="key-expiry" label="Expires in (days)" error={create.fieldErrors["input.expiresInDays"]} className="w-40">
            <Input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} placeholder="Never" />
          </Field>
          <Button type="submit" disabled={create.pending}>
            {create.pending ? "Creating…" : "Create API key"}
          </Button>
        </form>
        <FormError message={create.error && Object.keys(create.fieldErrors).length === 0 ? create.error : null} />
        <FormError message={revoke.error} />
      </CardBody>
      {keys.length > 0 && (
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Type</Th>
              <Th>Status</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const status = keyStatus(k);
              return (
                <tr key={k.id}>
                  <Td className="font-medium">{k.name}</Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td className="text-xs">{k.keyType}</Td>
                  <Td>
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </Td>
                  <Td className="text-xs">{k.expiresAt ? formatDate(k.expiresAt) : "Never"}</Td>
                  <Td className="text-right">
                    {!k.revokedAt && (
                      <Button
                        variant="secondary"
                        size="sm"
                        onClick={() => onRevoke(k)}
                        disabled={revoke.pending}
                        aria-label={`Revoke ${k.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
