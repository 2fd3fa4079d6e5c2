"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/shared/use-action-form";
import { testEnvironmentAction } from "@/lib/actions/admin/test-environment";
import type { ConfigFieldView } from "@/lib/connectors/fields";
import type { ConnectionTestView } from "@/lib/services/environments/test-environment";

/** Runs the saved connection's test (at most 10 s) and shows the outcome with the fields it blames. */
export function ConnectionTestPanel({
  name,
  fields,
  pull,
  onResult,
}: {
  name: string;
  fields: ConfigFieldView[];
  pull: boolean;
  onResult: (result: ConnectionTestView | null) => void;
}) {
  const router = useRouter();
  const test = useActionForm(testEnvironmentAction);
  const [result, setResult] = useState<ConnectionTestView | null>(null);
  const labelOf = (path: string) => fields.find((f) => `config.${f.name}` === path)?.label ?? path;

  async function run() {
    setResult(null);
    onResult(null);
    const outcome = await test.run({ name });
    if (!outcome) return;
    setResult(outcome);
    onResult(outcome);
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <Button variant="secondary" onClick={run} disabled={test.pending} aria-describedby="connection-test-help">
        {test.pending ? "Testing… (up to 10 s)" : "Test connection"}
      </Button>
      <p id="connection-test-help" className="text-xs text-slate-600 dark:text-slate-400">
        {pull
          ? "This gateway calls Meridian, not the other way round: the test reports its instances' last heartbeat."
          : "Tests the saved settings with one cheap call to the gateway."}
      </p>
      <div aria-live="polite">
        {result && (
          <div
            role="status"
            data-testid="connection-test-result"
            className={
              result.ok
                ? "rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
                : "rounded-md border border-red-300 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950"
            }
          >
            <p className="font-medium">{result.ok ? "Connection works" : "Connection failed"}</p>
            <p className="mt-1">{result.message}</p>
            {result.errors.length > 0 && (
              <ul className="mt-2 list-disc pl-5 text-xs">
                {result.errors.map((e) => (
                  <li key={e.path}>
                    <span className="font-medium">{labelOf(e.path)}</span>: {e.message}
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">Took {(result.durationMs / 1000).toFixed(1)} s.</p>
          </div>
        )}
      </div>
    </div>
  );
}
