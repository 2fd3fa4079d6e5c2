import { beforeAll } from "vitest";

// On one PostgreSQL database the files run one after another and share the job queue. Jobs an
// earlier file left queued or running name that file's environments, whose emulators are gone;
// a worker started here would take them first (oldest first) and run them against nothing while
// this file's own jobs wait. Each file starts with an empty queue, as on the embedded database.
if (process.env.DATABASE_URL) {
  beforeAll(async () => {
    const { inArray } = await import("drizzle-orm");
    const { getDb } = await import("@/lib/db/client");
    const { jobs } = await import("@/lib/db/schema");
    const db = await getDb();
    await db
      .update(jobs)
      .set({ status: "cancelled", lockedBy: null, lockedUntil: null, error: "left by an earlier test file", finishedAt: new Date() })
      .where(inArray(jobs.status, ["queued", "running"]));
  });
}
