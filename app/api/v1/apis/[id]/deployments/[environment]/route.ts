import { z } from "zod";
import { apiHandler, readQuery } from "@/lib/api/handler";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";
import { otherMethods } from "@/lib/api/methods";

const query = z.object({ deleteApi: z.enum(["true", "false"]).optional() });

/** 202 while a push gateway's undeploy job runs; 204 when it is done at once (pull gateways, nothing deployed). */
export const DELETE = apiHandler<{ id: string; environment: string }>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const { deleteApi } = readQuery(req, query);
  const row = await undeployApi(params.id, params.environment, ctx, { deleteApi: deleteApi === "true" });
  if (row?.status === "undeploying") return Response.json({ id: row.id, status: row.status, jobId: row.jobId }, { status: 202 });
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
