import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deployments, jobs } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { can } from "@/lib/auth/permissions";
import { requireActor, type ServiceContext } from "@/lib/services/context";
import { toJobView, type JobView } from "./job-view";

/**
 * A job's status and steps. Admins see every job; a publisher sees the deployment jobs of APIs
 * they may read; discovery jobs need environments:read.
 */
export async function getJob(id: string, ctx: ServiceContext): Promise<JobView> {
  const actor = requireActor(ctx);
  const db = await getDb();
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  if (!job) throw new AppError("not_found", "No such job.");
  if (can(actor.roles, "environments:write")) return toJobView(job);
  const deploymentId = typeof job.payload.deploymentId === "string" ? job.payload.deploymentId : null;
  if (deploymentId) {
    const [d] = await db.select({ apiId: deployments.apiId }).from(deployments).where(eq(deployments.id, deploymentId)).limit(1);
    if (d) {
      await loadApiForActor(db, d.apiId, ctx);
      return toJobView(job);
    }
  }
  if (job.kind.startsWith("environment.") && can(actor.roles, "environments:read")) return toJobView(job);
  throw new AppError("not_found", "No such job.");
}
