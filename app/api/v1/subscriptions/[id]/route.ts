import { apiHandler } from "@/lib/api/handler";
import { deleteSubscription } from "@/lib/services/subscriptions/change-subscription";
import { otherMethods } from "@/lib/api/methods";

export const DELETE = apiHandler<{ id: string }>({ permission: "subscriptions:write" }, async ({ ctx, params }) => {
  await deleteSubscription(params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
