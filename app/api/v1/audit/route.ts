import { apiHandler, readQuery } from "@/lib/api/handler";
import { listAudit, listAuditSchema } from "@/lib/services/audit/list-audit";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "audit:read" }, async ({ req, ctx }) => listAudit(readQuery(req, listAuditSchema), ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
