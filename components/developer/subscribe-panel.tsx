"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { useActionForm } from "@/components/shared/use-action-form";
import { createSubscriptionAction } from "@/lib/actions/developer/create-subscription";
import { deleteSubscriptionAction } from "@/lib/actions/developer/delete-subscription";
import type { LifecycleState } from "@/lib/domain/lifecycle";
import type { CatalogTier } from "@/lib/services/catalog/catalog-dto";
import type { SubscriptionView } from "@/lib/services/subscriptions/subscription-dto";
import { SubscriptionStatusBadge } from "./subscription-status-badge";

interface Props {
  apiId: string;
  apiName: string;
  subscribable: boolean;
  lifecycleState: LifecycleState;
  tiers: CatalogTier[];
  /** Null for visitors who are not signed in. */
  viewer: { canSubscribe: boolean } | null;
  applications: Array<{ id: string; name: string }>;
  subscriptions: SubscriptionView[];
}

/** Subscribe one of your applications on a tier, see the status of your subscriptions, unsubscribe. */
export function SubscribePanel({ apiId, apiName, subscribable, lifecycleState, tiers, viewer, applications, subscriptions }: Props) {
  const router = useRouter();
  const subscribe = useActionForm(createSubscriptionAction);
  const unsubscribe = useActionForm(deleteSubscriptionAction);
  const taken = new Set(subscriptions.filter((s) => s.status !== "rejected").map((s) => s.applicationId));
  const available = applications.filter((a) => !taken.has(a.id));
  const [tier, setTier] = useState(tiers[0]?.name ?? "");

  async function onSubscribe(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await subscribe.run({ applicationId: String(form.get("applicationId") ?? ""), apiId, tier });
    if (!result) return;
    if (result.status === "pending") toast.success("Subscription requested: it waits for approval by the API's publisher.");
    else toast.success(`Subscribed on ${result.tier}`);
    router.refresh();
  }

  async function onUnsubscribe(sub: SubscriptionView) {
    if (!window.confirm(`Unsubscribe ${sub.applicationName} from ${apiName}? Its calls are refused within seconds.`)) return;
    if (await unsubscribe.run({ id: sub.id })) {
      toast.success(`${sub.applicationName} unsubscribed`);
      router.refresh();
    }
  }

  return (
    <Card aria-labelledby="subscribe-title">
      <CardHeader
        title={<span id="subscribe-title">Subscriptions</span>}
        description="An application calls the API through the gateway once it is subscribed."
      />
      <CardBody className="space-y-4 text-sm">
        {subscriptions.length > 0 && (
          <ul className="space-y-2" aria-label="Your subscriptions to this API">
            {subscriptions.map((s) => (
              <li
                key={s.id}
                className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800"
                data-testid={`subscription-${s.id}`}
              >
                <div className="flex items-center justify-between gap-2">
                  <span>
                    <Link href={`/applications/${s.applicationId}`} className="font-medium hover:underline">
                      {s.applicationName}
                    </Link>{" "}
                    <span className="text-slate-600 dark:text-slate-400">on {s.tier}</span>
                  </span>
                  <SubscriptionStatusBadge status={s.status} />
                </div>
                <div className="mt-1 flex items-center justify-between gap-2">
                  <p className="text-xs text-amber-700 dark:text-amber-300">
                    {s.status === "pending"
                      ? "Waiting for approval by the API's publisher: calls are refused until then."
                      : s.status === "blocked"
                        ? "Blocked by the publisher: gateways refuse its calls."
                        : ""}
                  </p>
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => onUnsubscribe(s)}
                    disabled={unsubscribe.pending}
                    aria-label={`Unsubscribe ${s.applicationName}`}
                  >
                    Unsubscribe
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {!viewer ? (
          <p>
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(`/apis/${apiId}`)}`}
              className="font-medium text-brand-600 dark:text-brand-100 hover:underline"
            >
              Sign in
            </Link>{" "}
            or{" "}
            <Link href="/signup" className="font-medium text-brand-600 dark:text-brand-100 hover:underline">
              create an account
            </Link>{" "}
            to subscribe.
          </p>
        ) : !viewer.canSubscribe ? (
          <p className="text-slate-600 dark:text-slate-400">Your account has no subscriber role, so it cannot subscribe applications.</p>
        ) : !subscribable ? (
          <p className="text-slate-600 dark:text-slate-400">
            {lifecycleState === "DEPRECATED"
              ? "This API is deprecated and takes no new subscriptions."
              : lifecycleState === "PROTOTYPED"
                ? "This is a prototype, shown to publishers for trying out: it takes no subscriptions until it is published."
                : "This API takes no subscriptions."}
          </p>
        ) : tiers.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            No subscription tier exists yet: subscriptions open once an admin creates one.
          </p>
        ) : applications.length === 0 ? (
          <div className="space-y-2">
            <p className="text-slate-600 dark:text-slate-400">Subscriptions belong to applications. Create your first one.</p>
            <ButtonLink href={`/applications?returnTo=${encodeURIComponent(`/apis/${apiId}`)}`} size="sm">
              Create an application
            </ButtonLink>
          </div>
        ) : available.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            All your applications are subscribed.{" "}
            <Link
              href={`/applications?returnTo=${encodeURIComponent(`/apis/${apiId}`)}`}
              className="text-brand-600 dark:text-brand-100 hover:underline"
            >
              Create another application
            </Link>{" "}
            to subscribe again.
          </p>
        ) : (
          <form onSubmit={onSubscribe} className="space-y-4" noValidate>
            <Field id="subscribe-application" label="Application" error={subscribe.fieldErrors.applicationId}>
              <Select id="subscribe-application" name="applicationId" defaultValue={available[0].id}>
                {available.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </Select>
            </Field>
            <fieldset>
              <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Tier</legend>
              <div className="space-y-2">
                {tiers.map((t) => (
                  <label
                    key={t.name}
                    className={cn(
                      "flex cursor-pointer gap-3 rounded-md border px-3 py-2",
                      tier === t.name
                        ? "border-brand-500 bg-brand-50 dark:bg-brand-700/20"
                        : "border-slate-200 hover:border-slate-300 dark:border-slate-800",
                    )}
                  >
                    <input
                      type="radio"
                      name="tier"
                      value={t.name}
                      checked={tier === t.name}
                      onChange={() => setTier(t.name)}
                      className="mt-1"
                    />
                    <span>
                      <span className="block font-medium">{t.displayName}</span>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{t.summary}</span>
                      {t.description && t.description !== t.summary && (
                        <span className="block text-xs text-slate-500 dark:text-slate-400">{t.description}</span>
                      )}
                    </span>
                  </label>
                ))}
              </div>
              {subscribe.fieldErrors.tier && (
                <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
                  {subscribe.fieldErrors.tier}
                </p>
              )}
            </fieldset>
            <FormError message={subscribe.error && Object.keys(subscribe.fieldErrors).length === 0 ? subscribe.error : null} />
            <Button type="submit" disabled={subscribe.pending} className="w-full">
              {subscribe.pending ? "Subscribing…" : "Subscribe"}
            </Button>
          </form>
        )}
        <FormError message={unsubscribe.error} />
      </CardBody>
    </Card>
  );
}
