import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guards";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { TokensClient } from "./tokens-client";

export const metadata: Metadata = { title: "Access tokens" };

export default async function TokensPage() {
  const actor = await requirePageActor("tokens:own");
  const tokens = await listTokens({ actor });
  return (
    <>
      <PageHeader
        title="Personal access tokens"
        description="Tokens let scripts and CI call the management API (/api/v1) as you, with your roles. A token is shown once; store it in your secret manager."
      />
      <TokensClient tokens={tokens} />
    </>
  );
}
