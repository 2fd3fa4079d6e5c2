import { apiHandler, readJson } from "@/lib/api/handler";
import { getUserOrThrow } from "@/lib/services/users/list-users";
import { updateUserSchema } from "@/lib/services/users/schemas";
import { updateUser } from "@/lib/services/users/update-user";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "users:read" }, async ({ params }) => getUserOrThrow(params.id));

export const PATCH = apiHandler<P>({ permission: "users:write" }, async ({ req, ctx, params }) =>
  updateUser(params.id, await readJson(req, updateUserSchema), ctx),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
