import type { z } from "zod";
import { validationError } from "@/lib/errors";

/** Parses input with a schema; a failure becomes a 400 with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}
