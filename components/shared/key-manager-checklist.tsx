"use client";

/** A key manager as the choosers list it: Meridian's own first, then the registered OpenID providers. */
export interface KeyManagerOption {
  id: string;
  displayName: string;
  issuer: string;
  type: "builtin" | "external";
}

/**
 * Native checkboxes in a list, one per key manager, so that Tab, Space and screen readers work
 * as everywhere else in the portals.
 */
export function KeyManagerChecklist({
  label,
  options,
  chosen,
  onChange,
  disabled,
  describedBy,
}: {
  label: string;
  options: KeyManagerOption[];
  chosen: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  return (
    <ul className="grid gap-2 sm:grid-cols-2" aria-label={label} aria-describedby={describedBy}>
      {options.map((km) => (
        <li key={km.id}>
          <label className={`flex items-start gap-2 text-sm ${disabled ? "text-slate-500 dark:text-slate-400" : ""}`}>
            <input
              type="checkbox"
              className="mt-0.5"
              name="keyManager"
              value={km.id}
              checked={chosen.has(km.id)}
              disabled={disabled}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(km.id);
                else next.delete(km.id);
                onChange(next);
              }}
            />
            <span className="min-w-0">
              {km.displayName}
              {km.type === "builtin" && <span className="ml-1 text-xs text-slate-500 dark:text-slate-400">(built in)</span>}
              <span className="block truncate font-mono text-xs text-slate-500 dark:text-slate-400">{km.issuer}</span>
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}

/** A failed save: the message, and the problem's stable code for support and the REST API alike. */
export function ProblemAlert({ message, code }: { message: string | null; code: string | null }) {
  if (!message) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
    >
      {message}
      {code && (
        <span className="ml-2 text-xs">
          (problem code <code className="font-mono">{code}</code>)
        </span>
      )}
    </div>
  );
}
