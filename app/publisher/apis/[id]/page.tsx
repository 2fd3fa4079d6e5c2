import type { Metadata } from "next";
import { ApiKeyManagersForm } from "@/components/publisher/api-key-managers-form";
import { DangerZone } from "@/components/publisher/danger-zone";
import { keyManagerOptions } from "@/components/shared/key-manager-options";
import { SettingsForm } from "@/components/publisher/settings-form";
import { requirePageActor } from "@/lib/auth/guards";
import { getApiKeyManagers } from "@/lib/services/key-managers/api-key-managers";
import { listKeyManagers } from "@/lib/services/key-managers/get-key-manager";
import { listTiers } from "@/lib/services/tiers/list-tiers";
import { loadApiForPage } from "./load-api";
import { formatDateTime } from "@/lib/domain/datetime";

export const metadata: Metadata = { title: "API settings" };

export default async function ApiOverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const [api, tiers] = await Promise.all([loadApiForPage(id, actor), listTiers("subscription", { actor })]);
  const [registered, accepted] = await Promise.all([listKeyManagers({ pageSize: 100 }, { actor }), getApiKeyManagers(api.id, { actor })]);
  const created = formatDateTime(api.createdAt);
  return (
    <div className="space-y-6">
      <dl className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4 dark:border-slate-800 dark:bg-slate-900">
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Operations</dt>
          <dd className="text-lg font-semibold tabular-nums">{api.operationCount}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Imported from</dt>
          <dd className="font-medium">
            {{ "swagger-2.0": "Swagger 2.0", "openapi-3.0": "OpenAPI 3.0", "openapi-3.1": "OpenAPI 3.1" }[api.sourceSpec]} (
            {api.definitionFormat.toUpperCase()})
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Revisions made</dt>
          <dd className="font-medium tabular-nums">{api.lastRevisionNumber}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600 dark:text-slate-400">Created</dt>
          <dd className="font-medium">{created} UTC</dd>
        </div>
      </dl>
      <SettingsForm
        key={`${api.id}-${api.updatedAt}`}
        api={api}
        tiers={tiers.map((t) => ({ name: t.name, displayName: t.displayName, summary: t.summary }))}
      />
      <ApiKeyManagersForm
        key={`km-${api.id}-${accepted.items.map((k) => k.id).join(",")}`}
        apiId={api.id}
        options={keyManagerOptions(registered.items, accepted.items)}
        accepted={accepted.items.map((k) => k.id)}
        oauth2={api.security.scheme === "oauth2"}
      />
      <DangerZone apiId={api.id} name={api.name} />
    </div>
  );
}
