"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createTierAction } from "@/lib/actions/admin/create-tier";
import { updateTierAction } from "@/lib/actions/admin/update-tier";
import { RATE_UNITS, type PolicyKind, type RateUnit } from "@/lib/services/tiers/schemas";
import type { TierView } from "@/lib/services/tiers/tier-dto";

const numberOrNull = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? null : Number(v));

/** Creates a tier or policy of a kind, or edits one (its name and kind stay). */
export function TierForm({ kind, tier, kindLabel }: { kind: PolicyKind; tier?: TierView; kindLabel: string }) {
  const router = useRouter();
  const create = useActionForm(createTierAction);
  const update = useActionForm(updateTierAction);
  const action = tier ? update : create;
  const [unlimited, setUnlimited] = useState(tier?.unlimited ?? false);
  const errors = action.fieldErrors;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const limits = unlimited
      ? { unlimited: true, requests: null, unit: null, burst: null, monthlyQuota: null }
      : {
          unlimited: false,
          requests: numberOrNull(form.get("requests")),
          unit: (String(form.get("unit") ?? "") || null) as RateUnit | null,
          burst: numberOrNull(form.get("burst")),
          monthlyQuota: numberOrNull(form.get("monthlyQuota")),
        };
    const labels = { displayName: String(form.get("displayName") ?? ""), description: String(form.get("description") ?? "") };
    if (tier) {
      const saved = await update.run({ kind, name: tier.name, patch: { ...labels, ...limits } });
      if (saved) {
        toast.success(`${saved.displayName} saved`);
        router.push(`/admin/tiers?kind=${kind}`);
        router.refresh();
      }
      return;
    }
    const saved = await create.run({
      kind,
      name: String(form.get("name") ?? ""),
      ...labels,
      displayName: labels.displayName || undefined,
      ...limits,
    });
    if (saved) {
      toast.success(`${saved.displayName} created`);
      formElement.reset();
      setUnlimited(false);
      router.refresh();
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      className="grid gap-4 md:grid-cols-4"
      noValidate
      aria-label={tier ? `Edit ${tier.name}` : `New ${kindLabel.toLowerCase()}`}
    >
      <div className="md:col-span-4">
        <FormError message={Object.keys(errors).length === 0 ? action.error : null} />
      </div>
      {tier ? (
        <div className="space-y-1">
          <span className="block text-sm font-medium text-slate-700 dark:text-slate-200">Name</span>
          <p className="py-2 font-mono text-sm">{tier.name}</p>
        </div>
      ) : (
        <Field id="tier-name" label="Name" help="Letters, digits, - and _. Cannot change later." error={errors.name}>
          <Input id="tier-name" name="name" required placeholder="Platinum" autoComplete="off" aria-invalid={!!errors.name} />
        </Field>
      )}
      <Field id="tier-display-name" label="Display name" error={errors.displayName}>
        <Input id="tier-display-name" name="displayName" defaultValue={tier?.displayName} />
      </Field>
      <Field id="tier-description" label="Description" error={errors.description} className="md:col-span-2">
        <Input id="tier-description" name="description" defaultValue={tier?.description} />
      </Field>
      <label className="flex items-center gap-2 text-sm md:col-span-4">
        <input type="checkbox" name="unlimited" checked={unlimited} onChange={(e) => setUnlimited(e.target.checked)} /> Unlimited (no rate
        limit and no quota)
      </label>
      <Field id="tier-requests" label="Requests" error={errors.requests}>
        <Input
          id="tier-requests"
          name="requests"
          type="number"
          min={1}
          defaultValue={tier?.requests ?? ""}
          disabled={unlimited}
          aria-invalid={!!errors.requests}
        />
      </Field>
      <Field id="tier-unit" label="Per" error={errors.unit}>
        <Select id="tier-unit" name="unit" defaultValue={tier?.unit ?? "minute"} disabled={unlimited} aria-invalid={!!errors.unit}>
          {RATE_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="tier-burst" label="Burst (optional)" help="Requests allowed at once above the steady rate." error={errors.burst}>
        <Input
          id="tier-burst"
          name="burst"
          type="number"
          min={1}
          defaultValue={tier?.burst ?? ""}
          disabled={unlimited}
          aria-invalid={!!errors.burst}
        />
      </Field>
      <Field id="tier-quota" label="Monthly quota (optional)" error={errors.monthlyQuota}>
        <Input
          id="tier-quota"
          name="monthlyQuota"
          type="number"
          min={1}
          defaultValue={tier?.monthlyQuota ?? ""}
          disabled={unlimited}
          aria-invalid={!!errors.monthlyQuota}
        />
      </Field>
      <div className="md:col-span-4">
        <Button type="submit" disabled={action.pending}>
          {action.pending ? "Saving…" : tier ? "Save changes" : `Add ${kindLabel.toLowerCase()}`}
        </Button>
      </div>
    </form>
  );
}
