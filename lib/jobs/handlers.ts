import { DEPLOY_JOB } from "@/lib/services/deployments/deploy-revision";
import { KEY_SYNC_JOB } from "@/lib/services/deployments/request-key-sync";
import { deployJobHandler } from "@/lib/services/deployments/run-deploy-job";
import { keySyncJobHandler } from "@/lib/services/deployments/run-key-sync-job";
import { undeployJobHandler } from "@/lib/services/deployments/run-undeploy-job";
import { UNDEPLOY_JOB } from "@/lib/services/deployments/undeploy-api";
import { DISCOVER_JOB } from "@/lib/services/discovery/discover-environment";
import { discoverJobHandler } from "@/lib/services/discovery/run-discover-job";
import { DRIFT_JOB, driftJobHandler } from "@/lib/services/drift/run-drift-job";
import type { JobHandler } from "./runner";

/** Every durable job kind and the handler that runs it. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  [DEPLOY_JOB]: deployJobHandler,
  [UNDEPLOY_JOB]: undeployJobHandler,
  [KEY_SYNC_JOB]: keySyncJobHandler,
  [DISCOVER_JOB]: discoverJobHandler,
  [DRIFT_JOB]: driftJobHandler,
};
