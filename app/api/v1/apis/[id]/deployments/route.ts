import { apiHandler, readJson } from "@/lib/api/handler";
import { deployInputSchema, deployRevision } from "@/lib/services/deployments/deploy-revision";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => ({
  items: await listDeployments(params.id, ctx),
}));

/** Deploys a revision to environments: 202 with one deployment per environment (push ones carry their job). */
export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const rows = await deployRevision(params.id, await readJson(req, deployInputSchema), ctx);
  return Response.json(
    {
      deployments: rows.map((r) => ({
        id: r.id,
        environmentId: r.environmentId,
        status: r.status,
        revisionId: r.revisionId,
        jobId: r.jobId ?? null,
      })),
    },
    { status: 202 },
  );
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
