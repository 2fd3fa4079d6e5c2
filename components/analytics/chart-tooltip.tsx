"use client";

import type { ReactNode } from "react";

interface TooltipEntry {
  name?: ReactNode;
  value?: unknown;
  color?: string;
  dataKey?: unknown;
}

/** A tooltip that follows the theme (recharts' default one is always white). */
export function ChartTooltip({
  active,
  payload,
  label,
  formatLabel,
  formatValue,
}: {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  label?: unknown;
  formatLabel: (label: string) => string;
  formatValue: (value: number) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
      <p className="mb-1 font-medium">{formatLabel(String(label))}</p>
      <ul className="space-y-0.5">
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} className="flex items-center gap-2">
            <span className="inline-block h-2 w-2 rounded-full" style={{ background: entry.color }} aria-hidden />
            <span className="text-slate-600 dark:text-slate-300">{entry.name}</span>
            <span className="ml-auto pl-3 font-mono tabular-nums">{formatValue(Number(entry.value ?? 0))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
