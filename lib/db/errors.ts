/** Postgres error codes, read the same way from the postgres driver, PGlite and drizzle's wrapper. */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 4 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return pgCode(error) === "23505";
}

export function isForeignKeyViolation(error: unknown): boolean {
  return pgCode(error) === "23503";
}

/** Text PostgreSQL cannot store: a NUL character or a byte sequence that is not UTF-8. */
export function isUnstorableText(error: unknown): boolean {
  const code = pgCode(error);
  return code === "22021" || code === "22P05";
}
