/**
 * One coarse clock for the HTTP/1.1 layer's deadlines (idle keep-alive, slow heads, upstream
 * timeouts): connections register once and are checked every TICK_MS, instead of arming and
 * clearing a timer on every request. Deadlines are therefore late by at most TICK_MS.
 */
export const TICK_MS = 100;

export interface Watched {
  /** Called every tick with the current time (ms since the epoch). */
  tick(now: number): void;
}

class Ticker {
  now = Date.now();
  /** The `Date` header value of this second. */
  date = new Date(this.now).toUTCString();
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | null = null;

  add(item: Watched): void {
    this.watched.add(item);
    if (!this.timer) {
      this.refresh();
      this.timer = setInterval(() => this.run(), TICK_MS);
      this.timer.unref();
    }
  }

  delete(item: Watched): void {
    this.watched.delete(item);
    if (this.watched.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private refresh(): void {
    const now = Date.now();
    if (Math.floor(now / 1000) !== Math.floor(this.now / 1000)) this.date = new Date(now).toUTCString();
    this.now = now;
  }

  private run(): void {
    this.refresh();
    for (const item of this.watched) item.tick(this.now);
  }
}

export const ticker = new Ticker();
