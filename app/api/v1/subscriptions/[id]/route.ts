import { apiHandler } from "@/lib/api/handler";
import { deleteSubscription } from "@/lib/services/subscriptions/change-subscription";

export const DELETE = apiHandler<{ id: string }>({ permission: "subscriptions:write" }, async ({ ctx, params }) => {
  await deleteSubscription(params.id, ctx);
  return new Response(null, { status: 204 });
});
