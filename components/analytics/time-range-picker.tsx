"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/field";
import { RANGE_PRESETS } from "@/lib/domain/analytics/time-range";
import type { AnalyticsRange } from "./analytics-range";

/** datetime-local values are local wall-clock time without a zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Presets (last hour … 30 days) and a custom range. */
export function TimeRangePicker({ value, onChange }: { value: AnalyticsRange; onChange: (range: AnalyticsRange) => void }) {
  const id = useId();
  const [customOpen, setCustomOpen] = useState(value.preset === "custom");
  const [from, setFrom] = useState(() =>
    toLocalInput(value.preset === "custom" ? value.from : new Date(Date.now() - 2 * 86_400_000).toISOString()),
  );
  const [to, setTo] = useState(() => toLocalInput(value.preset === "custom" ? value.to : new Date().toISOString()));
  const [error, setError] = useState<string | null>(null);
  const segment = (active: boolean) =>
    cn(
      "h-8 px-2 text-sm font-medium whitespace-nowrap first:rounded-l-md sm:px-3 last:rounded-r-md border border-slate-300 -ml-px first:ml-0 dark:border-slate-700",
      active
        ? "z-10 bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
        : "bg-white text-slate-700 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800",
    );
  const apply = () => {
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return setError("Enter both dates.");
    if (f >= t) return setError("The start must be before the end.");
    setError(null);
    onChange({ preset: "custom", from: f.toISOString(), to: t.toISOString() });
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="inline-flex">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            aria-pressed={value.preset === p.id}
            aria-label={p.label}
            className={segment(value.preset === p.id)}
            onClick={() => {
              setCustomOpen(false);
              onChange({ preset: p.id });
            }}
          >
            {p.short}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={value.preset === "custom"}
          aria-expanded={customOpen}
          className={segment(value.preset === "custom")}
          onClick={() => setCustomOpen((o) => !o)}
        >
          Custom
        </button>
      </div>
      {customOpen && (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={`${id}-from`} className="text-sm text-slate-600 dark:text-slate-300">
            From
          </label>
          <Input
            id={`${id}-from`}
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            className="h-8 w-auto py-1"
          />
          <label htmlFor={`${id}-to`} className="text-sm text-slate-600 dark:text-slate-300">
            To
          </label>
          <Input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="h-8 w-auto py-1" />
          <Button size="sm" variant="secondary" onClick={apply}>
            Apply
          </Button>
          {error && (
            <span role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
