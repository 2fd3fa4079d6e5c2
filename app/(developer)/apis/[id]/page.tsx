import type { Metadata } from "next";
import Link from "next/link";
import { GatewayUrls } from "@/components/developer/gateway-urls";
import { SubscribePanel } from "@/components/developer/subscribe-panel";
import { MethodBadge } from "@/components/publisher/method-badge";
import { buttonClass } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { getSessionActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApplications } from "@/lib/services/applications/list-applications";
import { getApiKeyManagersUnchecked } from "@/lib/services/key-managers/api-key-managers";
import { listSubscriptions } from "@/lib/services/subscriptions/list-subscriptions";
import { loadCatalogApiForPage } from "./load-api";

const MAX_LISTED_OPERATIONS = 30;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const api = await loadCatalogApiForPage((await params).id, await getSessionActor());
  return { title: `${api.name} ${api.version}` };
}

export default async function CatalogApiPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const api = await loadCatalogApiForPage((await params).id, actor);
  const canSubscribe = can(actor?.roles, "subscriptions:write");
  const [apps, subs] =
    canSubscribe && actor
      ? await Promise.all([listApplications({ pageSize: 100 }, { actor }), listSubscriptions({ apiId: api.id, pageSize: 100 }, { actor })])
      : [null, null];
  const security =
    api.security.scheme === "oauth2"
      ? "OAuth2 access token (Authorization: Bearer …)"
      : api.security.scheme === "apiKey"
        ? "API key (apikey header)"
        : "None";
  // Which key managers issue the tokens this API accepts (only meaningful for OAuth2 APIs).
  const keyManagers = api.security.scheme === "oauth2" ? await getApiKeyManagersUnchecked(api.id) : [];

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <Card>
          <CardHeader
            title="Overview"
            actions={
              <a href={`/api/v1/catalog/${api.id}/definition`} download className={buttonClass("secondary", "sm")}>
                Download OpenAPI
              </a>
            }
          />
          <CardBody className="space-y-3 text-sm">
            <p className="whitespace-pre-line text-slate-700 dark:text-slate-300">
              {api.description || "The publisher has not described this API yet."}
            </p>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-slate-600 dark:text-slate-400">
              <dt className="font-medium">Security</dt>
              <dd>{security}</dd>
              {keyManagers.length > 0 && (
                <>
                  <dt className="font-medium">Tokens from</dt>
                  <dd data-testid="token-issuers">
                    {keyManagers.map((km) => (
                      <span key={km.id} className="mr-3 inline-block">
                        {km.displayName} <span className="font-mono text-xs">({km.tokenEndpoint})</span>
                      </span>
                    ))}
                  </dd>
                </>
              )}
              <dt className="font-medium">Operations</dt>
              <dd>{api.operations.length}</dd>
              {api.tags.length > 0 && (
                <>
                  <dt className="font-medium">Tags</dt>
                  <dd className="flex flex-wrap gap-1">
                    {api.tags.map((t) => (
                      <Link
                        key={t}
                        href={`/?tag=${encodeURIComponent(t)}`}
                        className="rounded-full border border-slate-200 px-2 text-xs hover:border-brand-500 dark:border-slate-700"
                      >
                        #{t}
                      </Link>
                    ))}
                  </dd>
                </>
              )}
            </dl>
          </CardBody>
        </Card>
        <GatewayUrls gateways={api.gateways} />
        <Card>
          <CardHeader
            title="Operations"
            description={
              <Link href={`/apis/${api.id}/reference`} className="text-brand-600 dark:text-brand-100 hover:underline">
                Read the full reference
              </Link>
            }
          />
          {api.operations.length === 0 ? (
            <CardBody className="text-sm text-slate-600 dark:text-slate-400">This API has no operations yet.</CardBody>
          ) : (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {api.operations.slice(0, MAX_LISTED_OPERATIONS).map((op) => (
                <li key={`${op.method} ${op.path}`} className="flex flex-wrap items-center gap-3 px-5 py-2 text-sm">
                  <MethodBadge method={op.method.toLowerCase()} />
                  <span className={`font-mono text-xs ${op.deprecated ? "line-through" : ""}`}>{op.path}</span>
                  {op.summary && <span className="text-slate-500 dark:text-slate-400">{op.summary}</span>}
                </li>
              ))}
              {api.operations.length > MAX_LISTED_OPERATIONS && (
                <li className="px-5 py-2 text-sm text-slate-600 dark:text-slate-400">
                  and {api.operations.length - MAX_LISTED_OPERATIONS} more in the reference.
                </li>
              )}
            </ul>
          )}
        </Card>
      </div>
      <div className="space-y-6">
        <SubscribePanel
          apiId={api.id}
          apiName={api.name}
          subscribable={api.subscribable}
          lifecycleState={api.lifecycleState}
          tiers={api.tiers}
          viewer={actor ? { canSubscribe } : null}
          applications={apps?.items.map((a) => ({ id: a.id, name: a.name })) ?? []}
          subscriptions={subs?.items ?? []}
        />
        <Card>
          <CardHeader title="Tiers on offer" />
          <CardBody className="text-sm">
            {api.tiers.length === 0 ? (
              <p className="text-slate-600 dark:text-slate-400">None yet.</p>
            ) : (
              <ul className="space-y-2">
                {api.tiers.map((t) => (
                  <li key={t.name}>
                    <span className="font-medium">{t.displayName}</span>
                    <span className="block text-xs text-slate-500 dark:text-slate-400">{t.summary}</span>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
