import { apiHandler } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { decideSubscription, type SubscriptionDecision } from "@/lib/services/subscriptions/change-subscription";
import { otherMethods } from "@/lib/api/methods";

const DECISIONS = new Set<string>(["approve", "reject", "block", "unblock"]);

/** POST /subscriptions/{id}/approve | reject | block | unblock, by admins or the API's publishers. */
export const POST = apiHandler<{ id: string; decision: string }>({ permission: "subscriptions:approve" }, async ({ ctx, params }) => {
  if (!DECISIONS.has(params.decision)) throw new AppError("not_found", "Use approve, reject, block or unblock.");
  const sub = await decideSubscription(params.id, params.decision as SubscriptionDecision, ctx);
  return {
    ...sub,
    createdAt: sub.createdAt.toISOString(),
    updatedAt: sub.updatedAt.toISOString(),
    decidedAt: sub.decidedAt?.toISOString() ?? null,
  };
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
