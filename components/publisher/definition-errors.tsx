"use client";

import type { DefinitionError } from "@/lib/domain/openapi/types";

/** The problems of a refused document, each with its place; a line can be jumped to. */
export function DefinitionErrors({ errors, onSelect }: { errors: DefinitionError[]; onSelect?: (error: DefinitionError) => void }) {
  if (errors.length === 0) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <p className="font-medium">
        The document is not valid ({errors.length} problem{errors.length === 1 ? "" : "s"}). Nothing was saved.
      </p>
      <ul className="mt-2 max-h-64 space-y-1 overflow-y-auto" aria-label="Validation errors">
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`} className="flex gap-2">
            {e.line ? (
              onSelect ? (
                <button type="button" onClick={() => onSelect(e)} className="shrink-0 font-mono text-xs underline">
                  line {e.line}
                </button>
              ) : (
                <span className="shrink-0 font-mono text-xs">line {e.line}</span>
              )
            ) : null}
            <span>
              {e.path && (
                <code title={e.path} className="mr-1 rounded bg-red-100 px-1 font-mono text-xs break-words dark:bg-red-900">
                  {e.place ?? e.path}
                </code>
              )}
              {e.message}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
