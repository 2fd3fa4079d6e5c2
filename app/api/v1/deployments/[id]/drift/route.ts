import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { checkDriftNow, getDeploymentDrift } from "@/lib/services/drift/get-drift";

type P = { id: string };

/** The last drift check of a deployment: In sync, Drifted (with the diff), Missing, or unknown. */
export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => getDeploymentDrift(params.id, ctx));

/** Checks now, against what runs on the gateway. */
export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) => checkDriftNow(params.id, ctx));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
