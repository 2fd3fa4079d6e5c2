"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/shared/copy-button";
import { useActionForm } from "@/components/shared/use-action-form";
import { revokeGatewayTokenAction } from "@/lib/actions/admin/revoke-gateway-token";
import { rotateGatewayTokenAction } from "@/lib/actions/admin/rotate-gateway-token";

/** The gateway token of a pull environment: generated or rotated here, shown once, revocable. */
export function GatewayTokenCard({ name, token }: { name: string; token: { prefix: string; createdAt: string } | null }) {
  const router = useRouter();
  const rotate = useActionForm(rotateGatewayTokenAction);
  const revoke = useActionForm(revokeGatewayTokenAction);
  const [secret, setSecret] = useState<string | null>(null);

  async function onRotate() {
    if (token && !window.confirm(`Rotate the gateway token of ${name}? Gateways using the current token stop syncing until they get the new one.`)) return;
    const issued = await rotate.run({ name });
    if (!issued) return;
    setSecret(issued.token);
    toast.success(token ? "Gateway token rotated" : "Gateway token generated");
    router.refresh();
  }

  async function onRevoke() {
    if (!window.confirm(`Revoke the gateway token of ${name}? Its gateways can no longer sync.`)) return;
    if (await revoke.run({ name })) {
      setSecret(null);
      toast.success("Gateway token revoked");
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader title="Gateway token" description="The gateway authenticates to Meridian with this token to pull its snapshot and report heartbeats." />
      <CardBody className="space-y-4">
        {secret && (
          <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 dark:border-emerald-800 dark:bg-emerald-950">
            <p className="text-sm font-medium">Copy the token now: it will not be shown again.</p>
            <div className="mt-2 flex items-center gap-2">
              <code data-testid="gateway-token" className="flex-1 rounded bg-white px-3 py-2 font-mono text-sm break-all dark:bg-slate-900">
                {secret}
              </code>
              <CopyButton value={secret} label="Copy token" />
            </div>
          </div>
        )}
        <p className="text-sm">
          {token ? (
            <>
              Current token <code className="font-mono">{token.prefix}…</code>, created {new Date(token.createdAt).toLocaleString()}.
            </>
          ) : (
            "No token yet: generate one and give it to the gateway."
          )}
        </p>
        <div className="flex gap-2">
          <Button onClick={onRotate} disabled={rotate.pending}>
            {token ? "Rotate token" : "Generate token"}
          </Button>
          {token && (
            <Button variant="danger" onClick={onRevoke} disabled={revoke.pending}>
              Revoke token
            </Button>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
