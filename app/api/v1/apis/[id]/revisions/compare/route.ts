import { z } from "zod";
import { apiHandler, readQuery } from "@/lib/api/handler";
import { compareRevisions } from "@/lib/services/apis/compare-revisions";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

const compareSchema = z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64).default("current") });

/** ?from=<revisionId>&to=<revisionId or "current"> */
export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ req, ctx, params }) => {
  const q = readQuery(req, compareSchema);
  return compareRevisions(params.id, q.from, q.to, ctx);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
