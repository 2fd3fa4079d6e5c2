"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { decideSubscriptionAction } from "@/lib/actions/publisher/decide-subscription";
import type { SubscriptionApprovalView } from "@/lib/services/subscriptions/subscription-dto";
import { useActionForm } from "./use-action-form";
import { formatDateTime } from "@/lib/domain/datetime";

type Status = SubscriptionApprovalView["status"];
type Decision = "approve" | "reject" | "block" | "unblock";

const STATUSES: Array<{ value: Status; label: string; tone: BadgeTone }> = [
  { value: "pending", label: "Pending", tone: "amber" },
  { value: "active", label: "Active", tone: "green" },
  { value: "blocked", label: "Blocked", tone: "red" },
  { value: "rejected", label: "Rejected", tone: "neutral" },
];

const DECISIONS: Record<Status, Array<{ decision: Decision; label: string; variant: ButtonVariant }>> = {
  pending: [
    { decision: "approve", label: "Approve", variant: "primary" },
    { decision: "reject", label: "Reject", variant: "secondary" },
  ],
  active: [{ decision: "block", label: "Block", variant: "danger-outline" }],
  blocked: [{ decision: "unblock", label: "Unblock", variant: "secondary" }],
  rejected: [],
};

const PAST = { approve: "approved", reject: "rejected", block: "blocked", unblock: "unblocked" } as const;

/** Approvers' list of subscriptions by status, with the decisions each status allows. */
export function SubscriptionApprovals({
  items,
  status,
  basePath,
  apiHrefBase,
}: {
  items: SubscriptionApprovalView[];
  status: Status;
  basePath: string;
  apiHrefBase: string;
}) {
  const router = useRouter();
  const decide = useActionForm(decideSubscriptionAction);

  async function onDecide(s: SubscriptionApprovalView, decision: Decision) {
    if (
      decision === "block" &&
      !window.confirm(`Block ${s.applicationName}'s subscription to ${s.apiName}? Gateways refuse its calls within seconds.`)
    )
      return;
    if (await decide.run({ id: s.id, decision })) {
      toast.success(`Subscription of ${s.applicationName} ${PAST[decision]}`);
      router.refresh();
    }
  }

  return (
    <Card>
      <nav aria-label="Subscription status" className="flex gap-1 border-b border-slate-200 px-3 pt-2 dark:border-slate-800">
        {STATUSES.map((s) => (
          <Link
            key={s.value}
            href={`${basePath}?status=${s.value}`}
            aria-current={s.value === status ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              s.value === status
                ? "border-brand-600 text-brand-700 dark:text-brand-100"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {s.label}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <CardBody>
          <EmptyState title={status === "pending" ? "Nothing waits for approval" : `No ${status} subscriptions`}>
            {status === "pending"
              ? "When approval is required, new subscriptions to your APIs appear here."
              : "Subscriptions with this status appear here."}
          </EmptyState>
        </CardBody>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>API</Th>
              <Th>Application</Th>
              <Th>Requested by</Th>
              <Th>Tier</Th>
              <Th>Requested</Th>
              <Th>
                <span className="sr-only">Decision</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid={`approval-${s.id}`}>
                <Td>
                  <Link href={`${apiHrefBase}${s.apiId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {s.apiName}
                  </Link>{" "}
                  <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{s.apiVersion}</span>
                </Td>
                <Td>{s.applicationName}</Td>
                <Td className="text-xs">{s.ownerEmail}</Td>
                <Td>
                  <Badge>{s.tier}</Badge>
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">{formatDateTime(s.createdAt)}</Td>
                <Td className="space-x-2 text-right whitespace-nowrap">
                  {DECISIONS[s.status].map((d) => (
                    <Button
                      key={d.decision}
                      variant={d.variant}
                      size="sm"
                      onClick={() => onDecide(s, d.decision)}
                      disabled={decide.pending}
                      aria-label={`${d.label} ${s.applicationName} on ${s.apiName}`}
                    >
                      {d.label}
                    </Button>
                  ))}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {decide.error && (
        <CardBody>
          <FormError message={decide.error} />
        </CardBody>
      )}
    </Card>
  );
}
