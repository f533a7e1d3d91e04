/** The limits of the watcher's circuit breaker (from `watcher:` in the config). */
export interface BreakerSettings {
  max_stops: number;
  stop_window_seconds: number;
  /** Seconds without a would-be stop after which a tripped breaker re-arms. */
  rearm_seconds: number;
}

/** Where the breaker stands, for the watcher's state file and `status`. */
export interface BreakerState {
  alertOnly: boolean;
  /** When it tripped (ISO time), while tripped. */
  since?: string;
  /** When it re-arms if nothing more happens (ISO time), while tripped. */
  rearmAt?: string;
}

/**
 * Too many stops too fast means something is wrong with the watcher, not with the agents: the breaker then
 * lets it only alert. It re-arms by itself once `rearm_seconds` pass without a stop it would have made, so
 * a burst of noise never disarms the watcher for the rest of the session.
 */
export class CircuitBreaker {
  private readonly stops: number[] = [];
  private trippedAt: number | undefined;
  private rearmAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: () => BreakerSettings,
    private readonly onChange: (change: 'tripped' | 'rearmed', state: BreakerState) => void,
  ) {}

  /** May the watcher stop a process now? A yes is counted as a stop. */
  allow(): boolean {
    const now = Date.now();
    const s = this.settings();
    if (this.trippedAt !== undefined) {
      this.rearmAt = now + s.rearm_seconds * 1000; // still noisy: the quiet period starts again
      return false;
    }
    while (this.stops.length && now - this.stops[0] > s.stop_window_seconds * 1000) this.stops.shift();
    if (this.stops.length >= s.max_stops) {
      this.trippedAt = now;
      this.rearmAt = now + s.rearm_seconds * 1000;
      this.schedule();
      this.onChange('tripped', this.state());
      return false;
    }
    this.stops.push(now);
    return true;
  }

  state(): BreakerState {
    if (this.trippedAt === undefined) return { alertOnly: false };
    return { alertOnly: true, since: new Date(this.trippedAt).toISOString(), rearmAt: new Date(this.rearmAt).toISOString() };
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (Date.now() < this.rearmAt) return this.schedule();
      this.trippedAt = undefined;
      this.stops.length = 0;
      this.onChange('rearmed', this.state());
    }, Math.max(10, this.rearmAt - Date.now()));
  }
}
