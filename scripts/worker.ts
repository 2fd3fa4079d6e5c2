/** `npm run worker`: the worker on its own, for scaling out beside one or more web replicas. */
import { closeDb, getDb } from "@/lib/db/client";
import { startWorker } from "@/lib/jobs/worker";

async function main() {
  await getDb();
  const worker = startWorker();
  const stop = async () => {
    await worker.stop();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
