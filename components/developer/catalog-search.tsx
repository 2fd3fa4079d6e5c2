import type { CatalogEnvironment } from "@/lib/services/catalog/list-catalog";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

/** A plain GET form: searching works without JavaScript and every result page has its own URL. */
export function CatalogSearch({
  q,
  tag,
  environment,
  environments,
}: {
  q?: string;
  tag?: string;
  environment?: string;
  environments: CatalogEnvironment[];
}) {
  return (
    <form role="search" action="/" className="mb-4 flex flex-wrap items-center gap-2">
      <label htmlFor="catalog-q" className="sr-only">
        Search APIs
      </label>
      <input
        id="catalog-q"
        name="q"
        type="search"
        defaultValue={q}
        placeholder="Search by name, description or tag"
        className={`${CONTROL} min-w-0 basis-full sm:max-w-md sm:basis-auto sm:flex-1`}
        maxLength={200}
      />
      {tag && <input type="hidden" name="tag" value={tag} />}
      {environments.length > 0 && (
        <>
          <label htmlFor="catalog-environment" className="sr-only">
            Gateway environment
          </label>
          <select
            id="catalog-environment"
            name="environment"
            defaultValue={environment ?? ""}
            className={`${CONTROL} min-w-0 flex-1 sm:max-w-xs sm:flex-none`}
          >
            <option value="">All environments</option>
            {environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.displayName}
                {e.region ? ` (${e.region})` : ""}
              </option>
            ))}
          </select>
        </>
      )}
      <button
        type="submit"
        className="shrink-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
      >
        Search
      </button>
    </form>
  );
}
