import { apiHandler, readQuery } from "@/lib/api/handler";
import { listAudit, listAuditSchema } from "@/lib/services/audit/list-audit";

export const GET = apiHandler({ permission: "audit:read" }, async ({ req, ctx }) => listAudit(readQuery(req, listAuditSchema), ctx));
