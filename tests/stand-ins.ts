import { sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";

type Column = { column_name: string; data_type: string; is_nullable: string; column_default: string | null };

function literal(value: unknown): SQL {
  if (Array.isArray(value))
    return sql`array[${sql.join(
      value.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[]`;
  if (value !== null && typeof value === "object") return sql`${JSON.stringify(value)}::jsonb`;
  return sql`${value}`;
}

function neutral(column: Column): SQL {
  if (column.data_type === "jsonb") return sql`'{}'::jsonb`;
  if (column.data_type === "ARRAY") return sql`'{}'`;
  if (column.data_type === "integer" || column.data_type === "bigint") return sql`1`;
  if (column.data_type === "boolean") return sql`false`;
  if (column.data_type.startsWith("timestamp")) return sql`now()`;
  return sql`'x'`;
}

/**
 * Inserts a row into a table that another feature owns (APIs, deployments), whichever of the
 * features has landed: when the table exists, its other required columns get neutral values;
 * when it does not, `standIn` creates a minimal one for the test's duration. Answers the
 * clean-up to run afterwards (delete the row, or drop the stand-in).
 */
export async function insertRow(table: string, values: Record<string, unknown>, standIn: string): Promise<() => Promise<void>> {
  const db = await getDb();
  const columns = rowsOf<Column>(
    await db.execute(
      sql`select column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = current_schema() and table_name = ${table}`,
    ),
  );
  const created = columns.length === 0;
  if (created) await db.execute(sql.raw(standIn));
  const row = new Map<string, SQL>(Object.entries(values).map(([k, v]) => [k, literal(v)]));
  for (const c of columns)
    if (!row.has(c.column_name) && c.is_nullable === "NO" && c.column_default === null) row.set(c.column_name, neutral(c));
  const names = [...row.keys()].map((n) => sql.identifier(n));
  await db.execute(
    sql`insert into ${sql.identifier(table)} (${sql.join(names, sql`, `)}) values (${sql.join([...row.values()], sql`, `)})`,
  );
  return async () => {
    await db.execute(
      created ? sql`drop table ${sql.identifier(table)}` : sql`delete from ${sql.identifier(table)} where id = ${values.id}`,
    );
  };
}

/** An API (1.0.0) that allows the given subscription tiers. */
export function insertApiAllowingTiers(id: string, name: string, allowedTiers: string[]): Promise<() => Promise<void>> {
  return insertRow(
    "apis",
    { id, name, version: "1.0.0", context: `/${id}`, allowed_tiers: allowedTiers },
    "create table apis (id text primary key, name text not null, version text not null, context text not null, allowed_tiers text[] not null default '{}')",
  );
}
