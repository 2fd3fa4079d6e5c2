/** Shared by the vendor emulators: a test kills the caller between two calls. */

/**
 * The caller's process dying between two calls, as a test arms it: the next `afterCalls`
 * signed management calls are served, then every call is held unanswered and without effect,
 * as if it had never left the dead process, until the crash is cleared (the held connections
 * are then dropped). `held` counts calls that reached the crash point.
 */
export class Crash {
  private remaining: number | undefined;
  private readonly parked: Array<{ socket: { destroy(): void } | null }> = [];
  held = 0;

  arm(afterCalls: number): void {
    if (!Number.isInteger(afterCalls) || afterCalls < 0) throw new Error("afterCalls must be a whole number of at least 0.");
    this.clear();
    this.remaining = afterCalls;
  }

  /** True when this call must be held: the caller is gone. */
  hold(res: { socket: { destroy(): void } | null }): boolean {
    if (this.remaining === undefined) return false;
    if (this.remaining > 0) {
      this.remaining--;
      return false;
    }
    this.held++;
    this.parked.push(res);
    return true;
  }

  clear(): void {
    this.remaining = undefined;
    this.held = 0;
    for (const res of this.parked.splice(0)) res.socket?.destroy();
  }

  view() {
    return { armed: this.remaining !== undefined, remaining: this.remaining ?? null, held: this.held };
  }
}
