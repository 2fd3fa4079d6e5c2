"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { ChartTooltip } from "./chart-tooltip";
import { formatBucket, formatBucketLong, formatCount } from "./format";

const CLASSES = [
  { key: "status2xx", name: "2xx", color: "#10b981" },
  { key: "status3xx", name: "3xx", color: "#0ea5e9" },
  { key: "status4xx", name: "4xx", color: "#f59e0b" },
  { key: "status5xx", name: "5xx", color: "#ef4444" },
] as const;

/** Requests per bucket, stacked by status class. */
export function RequestsChart({ data }: { data: AnalyticsTimeseries }) {
  return (
    <div
      className="h-64 text-slate-500 dark:text-slate-400"
      role="img"
      aria-label={`Requests per ${data.interval}, stacked by status class`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="time"
            tickFormatter={(v: string) => formatBucket(v, data.interval)}
            stroke="currentColor"
            fontSize={12}
            minTickGap={32}
          />
          <YAxis allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} stroke="currentColor" fontSize={12} width={48} />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={(props) => (
              <ChartTooltip {...props} formatLabel={(l) => formatBucketLong(l, data.interval)} formatValue={formatCount} />
            )}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {CLASSES.map((c) => (
            <Bar key={c.key} dataKey={c.key} name={c.name} stackId="status" fill={c.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
