"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { ChartTooltip } from "./chart-tooltip";
import { formatBucket, formatBucketLong, formatMs } from "./format";

const LINES = [
  { key: "latencyP50Ms", name: "p50", color: "#3b6cf6" },
  { key: "latencyP95Ms", name: "p95", color: "#8b5cf6" },
  { key: "latencyP99Ms", name: "p99", color: "#ec4899" },
] as const;

/** Latency percentiles per bucket, each from that bucket's merged histogram. */
export function LatencyChart({ data }: { data: AnalyticsTimeseries }) {
  return (
    <div className="h-64 text-slate-500 dark:text-slate-400" role="img" aria-label={`Latency p50, p95 and p99 per ${data.interval}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="time"
            tickFormatter={(v: string) => formatBucket(v, data.interval)}
            stroke="currentColor"
            fontSize={12}
            minTickGap={32}
          />
          <YAxis tickFormatter={(v: number) => formatMs(v)} stroke="currentColor" fontSize={12} width={72} />
          <Tooltip
            content={(props) => <ChartTooltip {...props} formatLabel={(l) => formatBucketLong(l, data.interval)} formatValue={formatMs} />}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          {LINES.map((l) => (
            <Line
              key={l.key}
              type="monotone"
              dataKey={l.key}
              name={l.name}
              stroke={l.color}
              strokeWidth={2}
              dot={{ r: 2, strokeWidth: 0, fill: l.color }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
