"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/components/shared/copy-button";
import { useActionForm } from "@/components/shared/use-action-form";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormError, Input } from "@/components/ui/field";
import { generateCredentialsAction } from "@/lib/actions/developer/generate-credentials";
import { generateTokenAction } from "@/lib/actions/developer/generate-token";
import type { ClientCredentialView } from "@/lib/services/applications/get-application-detail";
import { buildCurl, tokenCurl } from "./try-it/request-builder";
import { CommandLine, SecretBox } from "./secret-box";

export interface CallTarget {
  apiName: string;
  url: string;
}

const LABELS = { production: "Production", sandbox: "Sandbox" } as const;

/**
 * OAuth2 credentials of one key type: the client id, a secret shown once (regenerating replaces
 * it at once), and an access token generated here with the curl lines to use it.
 */
export function CredentialsPanel({
  applicationId,
  keyType,
  credential,
  tokenUrl,
  target,
}: {
  applicationId: string;
  keyType: "production" | "sandbox";
  credential: ClientCredentialView | null;
  tokenUrl: string;
  target: CallTarget | null;
}) {
  const router = useRouter();
  const generate = useActionForm(generateCredentialsAction);
  const issue = useActionForm(generateTokenAction);
  const [secret, setSecret] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const [token, setToken] = useState<{ value: string; expiresIn: number; scope?: string } | null>(null);
  const [scope, setScope] = useState("");
  const label = LABELS[keyType];

  async function onGenerate() {
    if (credential && !window.confirm(`Regenerate the ${label.toLowerCase()} client secret? The current secret stops working at once.`))
      return;
    const result = await generate.run({ id: applicationId, keyType });
    if (!result) return;
    setSecret({ clientId: result.clientId, clientSecret: result.clientSecret });
    toast.success(credential ? `${label} secret regenerated` : `${label} credentials created`);
    router.refresh();
  }

  async function onToken() {
    const result = await issue.run({ id: applicationId, input: { keyType, scope: scope.trim().split(/\s+/).filter(Boolean).join(" ") } });
    if (result) setToken({ value: result.access_token, expiresIn: result.expires_in, scope: result.scope });
  }

  const clientId = secret?.clientId ?? credential?.clientId;
  return (
    <Card aria-labelledby={`credentials-${keyType}`} data-testid={`credentials-${keyType}`}>
      <CardHeader
        title={<span id={`credentials-${keyType}`}>{label} keys</span>}
        description={
          keyType === "sandbox"
            ? "Calls with sandbox credentials go to the API's sandbox backend."
            : "Calls with production credentials go to the API's production backend."
        }
      />
      <CardBody className="space-y-4 text-sm">
        {clientId ? (
          <div className="flex flex-wrap items-center gap-2">
            <span className="w-24 font-medium">Client id</span>
            <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800" data-testid={`client-id-${keyType}`}>
              {clientId}
            </code>
            <CopyButton value={clientId} label="Copy id" />
          </div>
        ) : (
          <p className="text-slate-600 dark:text-slate-400">
            No {label.toLowerCase()} credentials yet. Generate a client id and secret to get access tokens.
          </p>
        )}
        {secret && (
          <SecretBox
            label="Client secret: copy it now, it will not be shown again."
            value={secret.clientSecret}
            testId={`client-secret-${keyType}`}
          >
            <CommandLine
              label="Get a token with the client credentials grant"
              command={tokenCurl(tokenUrl, secret.clientId, secret.clientSecret)}
            />
          </SecretBox>
        )}
        {credential && !secret && (
          <CommandLine
            label="Get a token with the client credentials grant"
            command={tokenCurl(tokenUrl, credential.clientId, "$CLIENT_SECRET")}
          />
        )}
        <div className="flex flex-wrap gap-2">
          <Button variant={credential ? "secondary" : "primary"} size="sm" onClick={onGenerate} disabled={generate.pending}>
            {generate.pending ? "Generating…" : credential ? "Regenerate secret" : `Generate ${label.toLowerCase()} keys`}
          </Button>
          {credential && (
            <>
              <Input
                aria-label={`Scopes of the ${label.toLowerCase()} access token`}
                value={scope}
                onChange={(e) => setScope(e.target.value)}
                placeholder="Scopes, if the operations require any"
                className="h-8 w-64 py-0 font-mono text-xs"
              />
              <Button size="sm" onClick={onToken} disabled={issue.pending}>
                {issue.pending ? "Generating…" : "Generate access token"}
              </Button>
            </>
          )}
        </div>
        <FormError message={generate.error ?? issue.error} />
        {token && (
          <SecretBox
            label={`Access token, valid for ${Math.round(token.expiresIn / 60)} minutes${token.scope ? `, with the scopes ${token.scope}` : ""}.`}
            value={token.value}
            testId={`access-token-${keyType}`}
          >
            {target ? (
              <CommandLine
                label={`Call ${target.apiName}`}
                testId={`token-curl-${keyType}`}
                command={buildCurl({ method: "GET", url: target.url, headers: [["Authorization", `Bearer ${token.value}`]] })}
              />
            ) : (
              <p className="text-xs text-slate-600 dark:text-slate-400">
                Subscribe the application to a deployed API to get a ready curl line here.
              </p>
            )}
          </SecretBox>
        )}
      </CardBody>
    </Card>
  );
}
