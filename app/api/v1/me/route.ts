import { apiHandler } from "@/lib/api/handler";
import { permissionsOf } from "@/lib/auth/permissions";
import { getUserOrThrow } from "@/lib/services/users/list-users";

export const GET = apiHandler({}, async ({ actor }) => {
  const user = await getUserOrThrow(actor!.id);
  return { ...user, permissions: [...permissionsOf(user.roles)].sort() };
});
