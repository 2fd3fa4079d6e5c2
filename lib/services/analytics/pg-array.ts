/**
 * A Postgres array literal (`{"a","b",NULL}`) sent as one text parameter and cast in SQL
 * (`$1::uuid[]`): a whole column of a batch travels as one value, on PGlite and PostgreSQL
 * alike, instead of one parameter per row and column.
 */
export function pgArray(values: ReadonlyArray<string | number | null | undefined>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number") out += Number.isFinite(v) ? String(v) : "NULL";
    else out += `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  }
  return `${out}}`;
}
