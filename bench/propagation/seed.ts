/**
 * What both propagation benchmarks seed through the services (which reach the embedded database
 * through the running Meridian): a publisher, and open one-operation APIs published with a
 * revision ready to deploy.
 */
import type { ServiceContext } from "@/lib/services/context";

export async function benchPublisher(label: string): Promise<ServiceContext> {
  const { createUser } = await import("@/lib/services/users/create-user");
  const seed: ServiceContext = { actor: { id: "usr_bench", email: "bench@local", roles: ["admin"] }, requestId: "bench" };
  const { user } = await createUser(
    { email: `${label}-${Date.now()}@local.test`, roles: ["publisher"], password: "Bench-password-1" },
    seed,
  );
  return { actor: { id: user.id, email: user.email, roles: user.roles }, requestId: "bench" };
}

/** A published API at `/<context>/v1/ping` in front of the backend, and its first revision. */
export async function publishedApi(
  context: string,
  name: string,
  backendPort: number,
  ctx: ServiceContext,
): Promise<{ apiId: string; revisionId: string }> {
  const { createApi } = await import("@/lib/services/apis/create-api");
  const { changeLifecycle } = await import("@/lib/services/apis/change-lifecycle");
  const { createRevision } = await import("@/lib/services/apis/create-revision");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${context}`,
      operations: [{ method: "get", path: "/ping" }],
      endpoints: { production: `http://127.0.0.1:${backendPort}`, sandbox: null, overrides: {} },
      security: { scheme: "none", apiKeyHeader: "apikey" },
    } as never,
    ctx,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, ctx);
  const revision = await createRevision(api.id, { description: "bench" }, ctx);
  return { apiId: api.id, revisionId: revision.id };
}
