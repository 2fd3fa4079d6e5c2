import Link from "next/link";
import type { CatalogItem } from "@/lib/services/catalog/catalog-dto";
import { ApiStateBadge } from "./api-state-badge";

/** One API in the catalog grid. The whole card opens the API; its tags filter the catalog. */
export function ApiCard({ api, tagHref }: { api: CatalogItem; tagHref: (tag: string) => string }) {
  return (
    <article
      className="relative flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-shadow focus-within:ring-2 focus-within:ring-brand-500 hover:shadow-md dark:border-slate-800 dark:bg-slate-900"
      data-testid={`catalog-api-${api.id}`}
    >
      <div className="flex items-start justify-between gap-3">
        <h2 className="text-base font-semibold">
          <Link
            href={`/apis/${api.id}`}
            className="outline-none after:absolute after:inset-0 after:content-[''] hover:text-brand-700 dark:hover:text-brand-100"
          >
            {api.name}
          </Link>
        </h2>
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          {api.version}
        </span>
      </div>
      <p className="mt-1 font-mono text-xs text-slate-500 dark:text-slate-400">{api.context}</p>
      <p className="mt-2 line-clamp-3 flex-1 text-sm text-slate-600 dark:text-slate-300">
        {api.description || <span className="italic text-slate-500 dark:text-slate-400">No description.</span>}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-1.5">
        <ApiStateBadge state={api.lifecycleState} />
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {api.operationCount} {api.operationCount === 1 ? "operation" : "operations"}
        </span>
        {api.tags.slice(0, 6).map((tag) => (
          <Link
            key={tag}
            href={tagHref(tag)}
            className="relative z-10 rounded-full border border-slate-200 px-2 py-0.5 text-xs text-slate-600 hover:border-brand-500 hover:text-brand-700 dark:border-slate-700 dark:text-slate-300 dark:hover:text-brand-100"
            aria-label={`Show APIs tagged ${tag}`}
          >
            #{tag}
          </Link>
        ))}
      </div>
    </article>
  );
}
