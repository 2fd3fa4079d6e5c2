import type { ReactNode } from "react";
import { CopyButton } from "@/components/shared/copy-button";

/** A value shown once (a secret, a key, a token) with its copy button. */
export function SecretBox({ label, value, testId, children }: { label: string; value: string; testId: string; children?: ReactNode }) {
  return (
    <div
      role="status"
      className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3 dark:border-emerald-800 dark:bg-emerald-950"
    >
      <p className="text-sm font-medium text-emerald-900 dark:text-emerald-100">{label}</p>
      <div className="flex items-start gap-2">
        <code data-testid={testId} className="flex-1 rounded bg-white px-3 py-2 font-mono text-xs break-all dark:bg-slate-900">
          {value}
        </code>
        <CopyButton value={value} />
      </div>
      {children}
    </div>
  );
}

/** A shell command with its copy button. */
export function CommandLine({ command, label, testId }: { command: string; label: string; testId?: string }) {
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</p>
      <div className="flex items-start gap-2">
        <pre
          data-testid={testId}
          className="flex-1 overflow-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-100 dark:bg-slate-950 dark:ring-1 dark:ring-slate-700"
        >
          {command}
        </pre>
        <CopyButton value={command} label="Copy" />
      </div>
    </div>
  );
}
