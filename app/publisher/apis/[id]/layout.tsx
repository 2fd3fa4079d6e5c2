import Link from "next/link";
import type { ReactNode } from "react";
import { ApiNavTabs } from "@/components/publisher/api-nav-tabs";
import { LifecycleBadge } from "@/components/publisher/lifecycle-badge";
import { requirePageActor } from "@/lib/auth/guards";
import { loadApiForPage } from "./load-api";

export default async function ApiLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("apis:read");
  const { id } = await params;
  const api = await loadApiForPage(id, actor);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        <Link href="/publisher/apis" className="hover:underline">
          APIs
        </Link>{" "}
        / <span aria-current="page">{api.name}</span>
      </nav>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{api.name}</h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">{api.version}</span>
        <span className="font-mono text-sm text-slate-600 dark:text-slate-400">{api.context}</span>
        <LifecycleBadge state={api.lifecycleState} />
      </div>
      <ApiNavTabs apiId={api.id} />
      {children}
    </>
  );
}
