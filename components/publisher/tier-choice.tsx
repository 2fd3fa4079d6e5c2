"use client";

import { useState } from "react";

export interface TierOption {
  name: string;
  displayName: string;
  summary: string;
}

/** What the form submits: every tier (an empty list), the ticked names, or null for "only" with none ticked. */
export function readTierChoice(form: FormData): string[] | null {
  if (form.get("tierMode") !== "only") return [];
  const names = form.getAll("tier").map(String);
  return names.length ? names : null;
}

/**
 * The API's allowed subscription tiers, chosen among the tiers that exist: every tier (stored as
 * an empty list, which also offers tiers created later) or only the ones ticked. Native radios
 * and checkboxes, so the keyboard and screen readers work as everywhere else.
 */
export function TierChoice({ tiers, allowed, error }: { tiers: TierOption[]; allowed: string[]; error?: string }) {
  const [every, setEvery] = useState(allowed.length === 0);
  const [chosen, setChosen] = useState(
    () => new Set(tiers.filter((t) => allowed.some((n) => n.toLowerCase() === t.name.toLowerCase())).map((t) => t.name)),
  );

  const errorId = error ? "s-tiers-error" : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={errorId ?? "s-tiers-help"}>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Allowed subscription tiers</legend>
      {tiers.length === 0 ? (
        <p id="s-tiers-help" className="text-xs text-slate-500 dark:text-slate-400">
          No subscription tiers exist yet: an admin creates them in the admin portal. Until then consumers cannot subscribe.
        </p>
      ) : (
        <>
          <div className="flex flex-wrap gap-4">
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="tierMode" value="every" checked={every} onChange={() => setEvery(true)} /> Every tier, including
              tiers created later
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="tierMode" value="only" checked={!every} onChange={() => setEvery(false)} /> Only the tiers chosen
              below
            </label>
          </div>
          <ul className="grid gap-1 sm:grid-cols-2" aria-label="Subscription tiers">
            {tiers.map((t) => (
              <li key={t.name}>
                <label className={`flex items-start gap-2 text-sm ${every ? "text-slate-500 dark:text-slate-400" : ""}`}>
                  <input
                    type="checkbox"
                    className="mt-0.5"
                    name="tier"
                    value={t.name}
                    checked={every || chosen.has(t.name)}
                    disabled={every}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(t.name);
                      else next.delete(t.name);
                      setChosen(next);
                    }}
                  />
                  <span>
                    {t.displayName}{" "}
                    <span className="text-xs text-slate-500 dark:text-slate-400">
                      ({t.name}) · {t.summary}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {!error && (
            <p id="s-tiers-help" className="text-xs text-slate-500 dark:text-slate-400">
              Consumers subscribe on one of the offered tiers; the gateways enforce its limits.
            </p>
          )}
        </>
      )}
      {error && (
        <p id="s-tiers-error" role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}
