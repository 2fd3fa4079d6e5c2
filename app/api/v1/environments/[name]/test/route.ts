import { apiHandler } from "@/lib/api/handler";
import { testEnvironment } from "@/lib/services/environments/test-environment";
import { otherMethods } from "@/lib/api/methods";

/** Runs the connection test (at most 10 s); a failed test is a 200 with ok: false and field errors. */
export const POST = apiHandler<{ name: string }>({ permission: "environments:write" }, async ({ ctx, params }) =>
  testEnvironment(params.name, ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
