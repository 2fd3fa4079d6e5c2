/** Page size of every listing; API Gateway's maximum. Tests pass a small one to cover several pages. */
export const DEFAULT_PAGE_SIZE = 500;

/** Follows API Gateway's `position` tokens until the listing ends. */
export async function listAll<T>(fetchPage: (position: string | undefined) => Promise<{ items?: T[]; position?: string }>): Promise<T[]> {
  const all: T[] = [];
  let position: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(position);
    all.push(...(page.items ?? []));
    position = page.position || undefined;
    // A token served twice would loop forever.
    if (position && seen.has(position)) break;
    if (position) seen.add(position);
  } while (position);
  return all;
}
