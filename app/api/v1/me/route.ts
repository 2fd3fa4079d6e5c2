import { apiHandler } from "@/lib/api/handler";
import { permissionsOf } from "@/lib/auth/permissions";
import { getUserOrThrow } from "@/lib/services/users/list-users";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({}, async ({ actor }) => {
  const user = await getUserOrThrow(actor!.id);
  return { ...user, permissions: [...permissionsOf(user.roles)].sort() };
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
