import type { SubscriptionStatus } from "@/lib/db/schema";
import type { LifecycleState } from "@/lib/domain/lifecycle";

export interface SubscriptionView {
  id: string;
  applicationId: string;
  applicationName: string;
  apiId: string;
  apiName: string;
  apiVersion: string;
  apiContext: string;
  apiLifecycleState: LifecycleState;
  tier: string;
  status: SubscriptionStatus;
  createdAt: string;
  decidedAt: string | null;
}

/** What an approver sees: the subscription and who asked. */
export interface SubscriptionApprovalView extends SubscriptionView {
  ownerEmail: string;
}

export interface SubscriptionViewRow {
  id: string;
  applicationId: string;
  applicationName: string;
  apiId: string;
  apiName: string;
  apiVersion: string;
  apiContext: string;
  apiLifecycleState: LifecycleState;
  tier: string;
  status: SubscriptionStatus;
  createdAt: Date;
  decidedAt: Date | null;
}

export function toSubscriptionView(row: SubscriptionViewRow): SubscriptionView {
  return { ...row, createdAt: row.createdAt.toISOString(), decidedAt: row.decidedAt?.toISOString() ?? null };
}
