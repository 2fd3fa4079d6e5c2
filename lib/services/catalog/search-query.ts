import { sql, type SQL } from "drizzle-orm";
import { apis } from "@/lib/db/schema";

const MAX_TERMS = 8;

/**
 * Turns what a visitor typed into a tsquery of word prefixes, all required: "pay eur" finds
 * "Payments in EUR". Only letters and digits are kept, so the result is always a valid tsquery.
 * Names and descriptions are indexed lowercased; tags as written, so both spellings are asked.
 */
export function toPrefixQuery(text: string): string | null {
  const words = (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (words.length === 0) return null;
  return words
    .map((w) => {
      const lower = w.toLowerCase();
      return lower === w ? `${lower}:*` : `(${lower}:* | ${w}:*)`;
    })
    .join(" & ");
}

/** The expression of the apis_search_idx index, written identically so that the planner uses it. */
export const searchVector: SQL = sql`(to_tsvector('simple', ${apis.name} || ' ' || ${apis.description}) || array_to_tsvector(${apis.tags}))`;

/**
 * The query is asked twice: as written (tags are indexed as written, case kept) and through the
 * text parser, which splits some words the way the indexed names were split ("1e5a3b" becomes
 * "1e5" followed by "a3b"), so that such a word finds the name it was copied from.
 */
export function matchesSearch(query: string): SQL {
  return sql`(${searchVector} @@ ${query}::tsquery or ${searchVector} @@ to_tsquery('simple', ${query}))`;
}
