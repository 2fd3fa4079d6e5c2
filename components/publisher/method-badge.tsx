import { cn } from "@/components/ui/cn";

const COLORS: Record<string, string> = {
  get: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-200",
  post: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  put: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-200",
  patch: "bg-violet-100 text-violet-800 dark:bg-violet-900/40 dark:text-violet-200",
  delete: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={cn(
        "inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase",
        COLORS[method] ?? "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
      )}
    >
      {method}
    </span>
  );
}
