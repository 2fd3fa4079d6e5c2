"use client";

import { Badge } from "@/components/ui/badge";

export interface TryItResponse {
  status: number;
  statusText: string;
  durationMs: number;
  headers: Array<[string, string]>;
  body: string;
  truncated: boolean;
}

const MAX_SHOWN = 100_000;

/** The gateway's answer as the console shows it: JSON indented, long bodies cut. */
export function toShownResponse(response: TryItResponse): TryItResponse {
  const contentType = response.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
  let body = response.body;
  if (contentType.includes("json") && !response.truncated) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  return { ...response, body: body.slice(0, MAX_SHOWN), truncated: response.truncated || body.length > MAX_SHOWN };
}

export function ResponseView({ response }: { response: TryItResponse }) {
  const tone = response.status < 300 ? "green" : response.status < 500 ? "amber" : "red";
  return (
    <section aria-label="Response" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="try-status">
          <Badge tone={tone}>
            {response.status} {response.statusText}
          </Badge>
        </span>
        <span className="text-slate-500">{response.durationMs} ms</span>
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Headers ({response.headers.length})</summary>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 font-mono">
          {response.headers.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-all">{v}</dd>
            </div>
          ))}
        </dl>
      </details>
      <pre data-testid="try-body" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
        {response.body || "(empty body)"}
        {response.truncated && "\n…"}
      </pre>
    </section>
  );
}
