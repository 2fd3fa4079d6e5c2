"use client";

import { useState } from "react";
import { toast } from "sonner";
import type { FieldErrors } from "@/lib/errors";

type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors?: FieldErrors };

/**
 * Runs a server action from a form: pending state, field errors under their inputs, the
 * message above the form and as a toast; `code` is the failure's stable problem code.
 */
export function useActionForm<I, T>(action: (input: I) => Promise<Result<T>>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function run(input: I): Promise<T | undefined> {
    setPending(true);
    setError(null);
    setCode(null);
    setFieldErrors({});
    try {
      const result = await action(input);
      if (result.ok) return result.data;
      setError(result.message);
      setCode(result.code);
      setFieldErrors(result.fieldErrors ?? {});
      toast.error(result.message);
      return undefined;
    } catch {
      const message = "The server could not be reached. Check your connection and try again.";
      setError(message);
      toast.error(message);
      return undefined;
    } finally {
      setPending(false);
    }
  }

  return { run, pending, error, code, fieldErrors };
}
