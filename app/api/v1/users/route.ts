import { apiHandler, created, readJson, readQuery } from "@/lib/api/handler";
import { createUser } from "@/lib/services/users/create-user";
import { listUsers, listUsersSchema } from "@/lib/services/users/list-users";
import { createUserSchema } from "@/lib/services/users/schemas";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "users:read" }, async ({ req, ctx }) => listUsers(readQuery(req, listUsersSchema), ctx));

export const POST = apiHandler({ permission: "users:write" }, async ({ req, ctx }) => {
  const result = await createUser(await readJson(req, createUserSchema), ctx);
  return created({ ...result.user, invitationToken: result.invitationToken ?? null }, `/api/v1/users/${result.user.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
