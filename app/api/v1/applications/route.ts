import { apiHandler, created, readJson, readQuery } from "@/lib/api/handler";
import { toApplicationView } from "@/lib/services/applications/application-dto";
import { createApplication } from "@/lib/services/applications/create-application";
import { listApplications, listApplicationsSchema } from "@/lib/services/applications/list-applications";
import { applicationInputSchema } from "@/lib/services/applications/schemas";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "applications:write" }, async ({ req, ctx }) =>
  listApplications(readQuery(req, listApplicationsSchema), ctx),
);

export const POST = apiHandler({ permission: "applications:write" }, async ({ req, ctx }) => {
  const app = await createApplication(await readJson(req, applicationInputSchema), ctx);
  return created(toApplicationView(app), `/api/v1/applications/${app.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
