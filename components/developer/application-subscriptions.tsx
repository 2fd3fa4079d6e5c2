"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useActionForm } from "@/components/shared/use-action-form";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { deleteSubscriptionAction } from "@/lib/actions/developer/delete-subscription";
import type { SubscriptionView } from "@/lib/services/subscriptions/subscription-dto";
import { ApiStateBadge } from "./api-state-badge";
import { SubscriptionStatusBadge } from "./subscription-status-badge";
import { formatDate } from "@/lib/domain/datetime";

/** Subscriptions, of one application or of all the user's; unsubscribing asks first. */
export function SubscriptionsTable({
  subscriptions,
  showApplication = false,
  title = "Subscriptions",
}: {
  subscriptions: SubscriptionView[];
  showApplication?: boolean;
  title?: string;
}) {
  const router = useRouter();
  const remove = useActionForm(deleteSubscriptionAction);

  async function onUnsubscribe(s: SubscriptionView) {
    if (!window.confirm(`Unsubscribe ${s.applicationName} from ${s.apiName} ${s.apiVersion}? Its calls are refused within seconds.`))
      return;
    if (await remove.run({ id: s.id })) {
      toast.success(`Unsubscribed from ${s.apiName}`);
      router.refresh();
    }
  }

  return (
    <Card>
      <CardHeader
        title={title}
        actions={
          <ButtonLink href="/" variant="secondary" size="sm">
            Browse APIs
          </ButtonLink>
        }
      />
      {subscriptions.length === 0 ? (
        <CardBody>
          <EmptyState title="No subscriptions yet">Open an API in the catalog and subscribe to it on one of its tiers.</EmptyState>
        </CardBody>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>API</Th>
              {showApplication && <Th>Application</Th>}
              <Th>Tier</Th>
              <Th>Status</Th>
              <Th>Since</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id} data-testid={`subscription-row-${s.id}`}>
                <Td>
                  <Link href={`/apis/${s.apiId}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {s.apiName}
                  </Link>{" "}
                  <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{s.apiVersion}</span>{" "}
                  <ApiStateBadge state={s.apiLifecycleState} />
                </Td>
                {showApplication && (
                  <Td>
                    <Link href={`/applications/${s.applicationId}`} className="hover:underline">
                      {s.applicationName}
                    </Link>
                  </Td>
                )}
                <Td>{s.tier}</Td>
                <Td>
                  <SubscriptionStatusBadge status={s.status} />
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">{formatDate(s.createdAt)}</Td>
                <Td className="text-right">
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => onUnsubscribe(s)}
                    disabled={remove.pending}
                    aria-label={`Unsubscribe from ${s.apiName}`}
                  >
                    Unsubscribe
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {remove.error && (
        <CardBody>
          <FormError message={remove.error} />
        </CardBody>
      )}
    </Card>
  );
}
