import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiKeysPanel } from "@/components/developer/api-keys-panel";
import { ApplicationSettingsForm } from "@/components/developer/application-settings-form";
import { SubscriptionsTable } from "@/components/developer/application-subscriptions";
import { CredentialsPanel, type CallTarget } from "@/components/developer/credentials-panel";
import { DeleteApplication } from "@/components/developer/delete-application";
import { ExternalClientsPanel } from "@/components/developer/external-clients-panel";
import { requirePageActor } from "@/lib/auth/guards";
import { config } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import {
  getApplicationDetail,
  type ApplicationDetail,
  type ApplicationSubscriptionView,
} from "@/lib/services/applications/get-application-detail";
import { listKeyManagerChoices } from "@/lib/services/key-managers/get-key-manager";
import { listKeyManagerClients } from "@/lib/services/key-managers/key-manager-clients";
import { listTiers } from "@/lib/services/tiers/list-tiers";

export const metadata: Metadata = { title: "Application" };

/** The first active subscription to a deployed API secured with this scheme: the target of the ready curl lines. */
function callTarget(subs: ApplicationSubscriptionView[], scheme: string): CallTarget | null {
  const s = subs.find((x) => x.status === "active" && x.gatewayUrl && x.apiSecurity === scheme);
  return s ? { apiName: s.apiName, url: `${s.gatewayUrl}${s.samplePath ?? "/"}` } : null;
}

export default async function ApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("applications:write");
  const { id } = await params;
  let app: ApplicationDetail;
  try {
    app = await getApplicationDetail(id, { actor });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const [policies, externalClients, keyManagers] = await Promise.all([
    listTiers("application", { actor }),
    listKeyManagerClients(id, { actor }),
    listKeyManagerChoices({ actor }),
  ]);
  const tokenUrl = `${config.publicUrl}/oauth2/token`;
  const credential = (keyType: string) => app.credentials.find((c) => c.keyType === keyType) ?? null;
  const oauthTarget = callTarget(app.subscriptions, "oauth2");

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        <Link href="/applications" className="hover:underline">
          Applications
        </Link>{" "}
        / <span aria-current="page">{app.name}</span>
      </nav>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight">{app.name}</h1>
        {app.description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{app.description}</p>}
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <CredentialsPanel
            applicationId={app.id}
            keyType="production"
            credential={credential("production")}
            tokenUrl={tokenUrl}
            target={oauthTarget}
          />
          <CredentialsPanel
            applicationId={app.id}
            keyType="sandbox"
            credential={credential("sandbox")}
            tokenUrl={tokenUrl}
            target={oauthTarget}
          />
          <ExternalClientsPanel applicationId={app.id} clients={externalClients.items} keyManagers={keyManagers} />
          <ApiKeysPanel applicationId={app.id} keys={app.apiKeys} target={callTarget(app.subscriptions, "apiKey")} />
          <SubscriptionsTable subscriptions={app.subscriptions} />
        </div>
        <div className="min-w-0 space-y-6">
          <ApplicationSettingsForm
            app={app}
            policies={policies.map((p) => ({ name: p.name, displayName: p.displayName, summary: p.summary }))}
          />
          <DeleteApplication id={app.id} name={app.name} subscriptionCount={app.subscriptions.length} />
        </div>
      </div>
    </>
  );
}
