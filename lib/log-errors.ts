/**
 * Errors as the process log records them. Database errors carry the values of the failed query
 * (drizzle's message ends in `params: …`, PGlite and the postgres driver attach `params` or
 * `parameters`, and PostgreSQL's `detail` quotes key values): none of that may reach a log,
 * which is kept longer and read by more people than the database. The SQL text stays, with its
 * `$n` placeholders, so a failure can still be traced to its statement.
 */
const VALUE_KEYS = new Set(["params", "parameters", "args", "values", "detail", "queryOptions"]);

const MAX_DEPTH = 5;

type ErrorLike = Error & Record<string, unknown>;

function isErrorLike(value: unknown): value is ErrorLike {
  return (
    value instanceof Error ||
    (!!value && typeof value === "object" && typeof (value as { message?: unknown }).message === "string" && "stack" in value)
  );
}

/** The values a failed query was sent with, anywhere in the cause chain. */
function queryValues(error: ErrorLike): string[] {
  const out = new Set<string>();
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && isErrorLike(current); depth++) {
    for (const key of ["params", "parameters", "args"]) {
      const list = current[key];
      if (!Array.isArray(list)) continue;
      for (const value of list) {
        if (value === null || value === undefined) continue;
        const text = typeof value === "object" ? JSON.stringify(value) : String(value);
        if (text) out.add(text);
      }
    }
    current = current.cause;
  }
  // Longest first, so that a value containing another is removed whole.
  return [...out].sort((a, b) => b.length - a.length);
}

function scrub(message: string, values: string[]): string {
  let text = message.replace(/\nparams: [\s\S]*$/, "");
  for (const value of values) {
    // PostgreSQL quotes the values it names; a short value is removed only where quoted, so that
    // a parameter "1" does not mangle every digit of the message.
    text = value.length >= 4 ? text.split(value).join("[redacted]") : text.split(`"${value}"`).join('"[redacted]"');
  }
  return text;
}

function serialize(error: ErrorLike, values: string[], depth: number): Record<string, unknown> {
  const type = error.constructor?.name && error.constructor.name !== "Object" ? error.constructor.name : String(error.name ?? "Error");
  const message = scrub(String(error.message ?? ""), values);
  // The stack starts with the message: rebuild it from the scrubbed message and the frames.
  const frames = typeof error.stack === "string" ? error.stack.split("\n").filter((line) => /^\s+at /.test(line)) : [];
  const out: Record<string, unknown> = { type, message, stack: [`${type}: ${message.split("\n")[0]}`, ...frames].join("\n") };
  for (const key of Object.keys(error)) {
    if (VALUE_KEYS.has(key) || key in out) continue;
    const value = error[key];
    if (key === "cause") continue;
    if (isErrorLike(value)) {
      if (depth < MAX_DEPTH) out[key] = serialize(value, values, depth + 1);
    } else if (typeof value === "string" && key !== "query") {
      out[key] = scrub(value, values);
    } else if (value !== undefined) {
      out[key] = value;
    }
  }
  if (isErrorLike(error.cause) && depth < MAX_DEPTH) out.cause = serialize(error.cause, values, depth + 1);
  return out;
}

/** pino serializer for `err`: the error, its cause chain and its fields, without query values. */
export function serializeLoggedError(value: unknown): unknown {
  if (!isErrorLike(value)) return value;
  return serialize(value, queryValues(value), 0);
}
