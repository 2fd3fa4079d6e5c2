/** Runs once when the web process starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next start` handles SIGTERM itself (it closes the listener, then drains): this only lets
  // long polls end early so that the drain does not wait for them.
  const { armShutdownSignal } = await import("@/lib/shutdown");
  armShutdownSignal();
  // A web replica started with `next start` on a shared PostgreSQL database is held to the
  // same rules as `npm start`: explicit secrets, and the database's secret key.
  if (process.env.DATABASE_URL) {
    const { missingSharedSecrets, sharedSecretsMessage } = await import("@/lib/config");
    const missing = missingSharedSecrets(process.env, { session: true });
    let refusal = missing.length ? sharedSecretsMessage(missing) : null;
    if (!refusal) {
      try {
        const { ensureSecretKey } = await import("@/lib/services/maintenance/ensure-secret-key");
        await ensureSecretKey();
      } catch (error) {
        // Another key is a refusal; a database not reachable yet is what /api/health reports.
        if (error instanceof Error && error.name === "SecretKeyMismatchError") refusal = error.message;
        else console.error("Could not check the secret key against the database:", error instanceof Error ? error.message : error);
      }
    }
    if (refusal) {
      console.error(refusal);
      process.exit(1);
    }
  }
}
