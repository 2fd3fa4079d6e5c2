import Link from "next/link";
import type { ReactNode } from "react";
import { ApiStateBadge } from "@/components/developer/api-state-badge";
import { ApiTabs } from "@/components/developer/api-tabs";
import { getSessionActor } from "@/lib/auth/session";
import { loadCatalogApiForPage } from "./load-api";

export default async function CatalogApiLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  const { id } = await params;
  const api = await loadCatalogApiForPage(id, actor);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        <Link href="/" className="hover:underline">
          API catalog
        </Link>{" "}
        / <span aria-current="page">{api.name}</span>
      </nav>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{api.name}</h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">{api.version}</span>
        <span className="font-mono text-sm text-slate-600 dark:text-slate-400">{api.context}</span>
        <ApiStateBadge state={api.lifecycleState} />
      </div>
      {api.lifecycleState === "DEPRECATED" && (
        <p
          role="note"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          This API is deprecated: existing subscriptions keep working, but it takes no new ones. Look for a newer version in the catalog.
        </p>
      )}
      <ApiTabs apiId={api.id} />
      {children}
    </>
  );
}
