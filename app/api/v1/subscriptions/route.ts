import { apiHandler, created, readJson, readQuery } from "@/lib/api/handler";
import { createSubscription, subscribeSchema } from "@/lib/services/subscriptions/create-subscription";
import {
  listApprovalsSchema,
  listSubscriptionApprovals,
  listSubscriptions,
  listSubscriptionsSchema,
} from "@/lib/services/subscriptions/list-subscriptions";
import { otherMethods } from "@/lib/api/methods";

/** The caller's subscriptions; `?view=approvals` lists those the caller decides on (publishers, admins). */
export const GET = apiHandler({}, async ({ req, ctx }) => {
  const url = new URL(req.url);
  if (url.searchParams.get("view") === "approvals") {
    url.searchParams.delete("view");
    return listSubscriptionApprovals(readQuery(new Request(url), listApprovalsSchema), ctx);
  }
  return listSubscriptions(readQuery(req, listSubscriptionsSchema), ctx);
});

/** Subscribing again with the same tier answers the existing subscription with 200. */
export const POST = apiHandler({ permission: "subscriptions:write" }, async ({ req, ctx }) => {
  const { created: isNew, ...sub } = await createSubscription(await readJson(req, subscribeSchema), ctx);
  const body = {
    ...sub,
    createdAt: sub.createdAt.toISOString(),
    updatedAt: sub.updatedAt.toISOString(),
    decidedAt: sub.decidedAt?.toISOString() ?? null,
  };
  return isNew ? created(body, `/api/v1/subscriptions/${sub.id}`) : Response.json(body);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
