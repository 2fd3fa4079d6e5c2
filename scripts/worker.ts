/** `npm run worker`: the worker on its own, for scaling out beside one or more web replicas. */
import { missingSharedSecrets, sharedSecretsMessage } from "@/lib/config";
import { closeDb, getDb } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { ensureSecretKey } from "@/lib/services/maintenance/ensure-secret-key";

async function main() {
  const missing = missingSharedSecrets(process.env, { session: false });
  if (missing.length) throw new Error(sharedSecretsMessage(missing));
  await getDb();
  // A worker with another key than the web app's would fail every job that reads a secret.
  await ensureSecretKey();
  const worker = startWorker();
  const stop = async () => {
    // Within MERIDIAN_SHUTDOWN_TIMEOUT_MS, as `npm start`: jobs not done by then resume elsewhere.
    await worker.stop(Number(process.env.MERIDIAN_SHUTDOWN_TIMEOUT_MS || 8_000) - 1_500);
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
