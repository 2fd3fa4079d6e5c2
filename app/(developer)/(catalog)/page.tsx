import type { Metadata } from "next";
import Link from "next/link";
import { ApiCard } from "@/components/developer/api-card";
import { CatalogSearch } from "@/components/developer/catalog-search";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { getSessionActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listCatalog, listCatalogEnvironments } from "@/lib/services/catalog/list-catalog";

export const metadata: Metadata = { title: "API catalog" };

type Search = { q?: string; tag?: string; environment?: string; page?: string };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await getSessionActor();
  const sp = await searchParams;
  const q = sp.q?.slice(0, 200) || undefined;
  const tag = sp.tag?.slice(0, 50) || undefined;
  const environment = sp.environment?.slice(0, 63) || undefined;
  const page = Math.min(Math.max(Number(sp.page) || 1, 1), 100000);
  const ctx = { actor };
  const [result, environments] = await Promise.all([
    listCatalog({ q, tag, environment, page, pageSize: 24 }, ctx),
    listCatalogEnvironments(ctx),
  ]);
  const filtered = !!(q || tag || environment);
  const query = { q, tag, environment };
  const hrefWith = (changes: Partial<Search>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...changes })) if (v) params.set(k, v);
    const s = params.toString();
    return s ? `/?${s}` : "/";
  };

  return (
    <>
      <PageHeader
        title="API catalog"
        description="Discover the APIs published on this Meridian, read their references, try them and subscribe with your applications."
        actions={
          can(actor?.roles, "applications:write") ? (
            <ButtonLink variant="secondary" href="/applications">
              Your applications
            </ButtonLink>
          ) : undefined
        }
      />
      <CatalogSearch q={q} tag={tag} environment={environment} environments={environments} />
      {tag && (
        <p className="mb-4 flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          Tagged{" "}
          <span className="rounded-full bg-brand-50 px-2 py-0.5 font-medium text-brand-700 dark:bg-brand-700/20 dark:text-brand-100">
            #{tag}
          </span>
          <Link href={hrefWith({ tag: undefined, page: undefined })} className="text-brand-600 dark:text-brand-100 hover:underline">
            Clear tag
          </Link>
        </p>
      )}
      {result.items.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No API matches"
            action={
              <ButtonLink variant="secondary" href="/">
                Clear the filters
              </ButtonLink>
            }
          >
            Search matches the beginning of words in names, descriptions and tags. Try fewer or shorter words.
          </EmptyState>
        ) : (
          <EmptyState
            title="No APIs are published yet"
            action={
              can(actor?.roles, "portal:publisher") ? (
                <ButtonLink href="/publisher/apis">Open the publisher portal</ButtonLink>
              ) : !actor ? (
                <ButtonLink href="/signup">Create an account</ButtonLink>
              ) : undefined
            }
          >
            {can(actor?.roles, "portal:publisher")
              ? "Publish an API from the publisher portal and it appears here for consumers."
              : "When publishers release APIs, they appear here. Check back soon."}
          </EmptyState>
        )
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="APIs">
            {result.items.map((api) => (
              <li key={api.id} className="flex">
                <div className="flex-1 [&>article]:h-full">
                  <ApiCard api={api} tagHref={(t) => hrefWith({ tag: t, page: undefined })} />
                </div>
              </li>
            ))}
          </ul>
          <div className="mt-4 rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <Pagination page={result.page} pageSize={result.pageSize} total={result.total} basePath="/" query={query} />
          </div>
        </>
      )}
    </>
  );
}
