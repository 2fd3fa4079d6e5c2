/** Runs once when the web process starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next start` handles SIGTERM itself (it closes the listener, then drains): this only lets
  // long polls end early so that the drain does not wait for them.
  const { armShutdownSignal } = await import("@/lib/shutdown");
  armShutdownSignal();
}
