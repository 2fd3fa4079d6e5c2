import { GetStageCommand, UpdateStageCommand, type PatchOperation } from "@aws-sdk/client-api-gateway";
import { methodSettingPatchPath, type Throttle } from "./limits";
import type { AwsSession } from "./session";

/**
 * Brings a stage's description and method throttles to what the spec says. Runs after
 * CreateDeployment has moved the stage, so a failure here leaves the new revision serving
 * and the retry finishes the job.
 */
export async function configureStage(
  session: AwsSession,
  restApiId: string,
  stage: { name: string; description: string; methodSettings: Record<string, Throttle> },
): Promise<number> {
  const current = await session.send(new GetStageCommand({ restApiId, stageName: stage.name }));
  const ops: PatchOperation[] = [];
  if (current.description !== stage.description) ops.push({ op: "replace", path: "/description", value: stage.description });
  const existing = current.methodSettings ?? {};
  for (const [key, throttle] of Object.entries(stage.methodSettings)) {
    const now = existing[key];
    if (now?.throttlingRateLimit !== throttle.rateLimit)
      ops.push({ op: "replace", path: methodSettingPatchPath(key, "throttling/rateLimit"), value: String(throttle.rateLimit) });
    if (now?.throttlingBurstLimit !== throttle.burstLimit)
      ops.push({ op: "replace", path: methodSettingPatchPath(key, "throttling/burstLimit"), value: String(throttle.burstLimit) });
  }
  // Throttles of operations that no longer have a limit: the stage owns no other method settings.
  for (const key of Object.keys(existing))
    if (!(key in stage.methodSettings)) ops.push({ op: "remove", path: methodSettingPatchPath(key, "") });
  if (ops.length) await session.send(new UpdateStageCommand({ restApiId, stageName: stage.name, patchOperations: ops }));
  return ops.length;
}
