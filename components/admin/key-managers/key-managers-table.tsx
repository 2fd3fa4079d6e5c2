"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { deleteKeyManagerAction } from "@/lib/actions/admin/delete-key-manager";
import { testKeyManagerAction } from "@/lib/actions/admin/test-key-manager";
import type { KeyManagerView } from "@/lib/services/key-managers/key-manager-dto";

/** The key managers with their endpoints, the last connection test, and test and delete buttons. */
export function KeyManagersTable({ keyManagers, total }: { keyManagers: KeyManagerView[]; total: number }) {
  const router = useRouter();
  const test = useActionForm(testKeyManagerAction);
  const remove = useActionForm(deleteKeyManagerAction);

  async function onTest(km: KeyManagerView) {
    const result = await test.run({ id: km.id });
    if (!result) return;
    if (result.ok) toast.success(`${km.displayName}: ${result.message}`);
    else toast.error(`${km.displayName}: ${result.message}`);
    router.refresh();
  }

  async function onDelete(km: KeyManagerView) {
    if (!window.confirm(`Delete ${km.displayName}? APIs stop accepting its tokens.`)) return;
    if (await remove.run({ id: km.id })) {
      toast.success(`${km.displayName} deleted`);
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader title="Key managers" description={`${total} in all.`} />
      <Table aria-label="Key managers">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Issuer</Th>
            <Th>Client id claim</Th>
            <Th>Registration</Th>
            <Th>Last test</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {keyManagers.map((km) => (
            <tr key={km.id}>
              <Td>
                <div className="font-medium">{km.displayName}</div>
                <div className="font-mono text-xs text-slate-500">{km.name}</div>
              </Td>
              <Td className="font-mono text-xs break-all">{km.issuer}</Td>
              <Td className="font-mono text-xs">{km.clientIdClaim}</Td>
              <Td>
                {km.type === "builtin" ? (
                  <Badge>built in</Badge>
                ) : km.dynamicRegistration ? (
                  <Badge tone="green">dynamic</Badge>
                ) : (
                  <Badge>map existing clients</Badge>
                )}
              </Td>
              <Td className="text-xs">
                {km.lastTest ? (
                  <span title={km.lastTest.message}>
                    <Badge tone={km.lastTest.ok ? "green" : "red"}>{km.lastTest.ok ? "ok" : "failed"}</Badge>
                  </span>
                ) : (
                  "—"
                )}
              </Td>
              <Td className="text-right whitespace-nowrap">
                {km.type === "external" && (
                  <div className="flex justify-end gap-2">
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => onTest(km)}
                      disabled={test.pending}
                      aria-label={`Test ${km.displayName}`}
                    >
                      Test
                    </Button>
                    <Button
                      variant="danger-outline"
                      size="sm"
                      onClick={() => onDelete(km)}
                      disabled={remove.pending}
                      aria-label={`Delete ${km.displayName}`}
                    >
                      Delete
                    </Button>
                  </div>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
