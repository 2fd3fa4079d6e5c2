import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client";

/**
 * For checks against tables that another feature owns and may not have created yet: the
 * table's columns, or an empty set when the table does not exist.
 */
export async function optionalTableColumns(db: DbOrTx, table: string): Promise<Set<string>> {
  const result = await db.execute(sql`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}`);
  return new Set(rowsOf<{ column_name: string }>(result).map((r) => r.column_name));
}

/** Rows of a raw query, whichever driver ran it (postgres-js answers an array, PGlite { rows }). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
