// A budget of bytes that transfers in flight may hold in memory. acquire(n) waits until n more bytes fit, first
// come first served (a large request is not overtaken forever by small ones); a request larger than the whole
// budget waits for an empty budget and then runs alone. Each holder acquires once and releases once, so
// holders never wait for each other (no deadlock).

export type Release = () => void;

export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ n: number; go: () => void }> = [];

  constructor(readonly capacity: number) {}

  /** Bytes held right now. */
  get inUse(): number {
    return this.used;
  }

  /** Takes `n` bytes at once, or returns undefined (and takes nothing) when they do not fit now. */
  tryAcquire(n: number): Release | undefined {
    const want = this.clamp(n);
    if (this.waiting.length > 0 || this.used + want > this.capacity) return undefined;
    this.used += want;
    return this.releaser(want);
  }

  /** Waits until `n` bytes fit (after everyone who asked earlier), takes them, and returns their release. */
  async acquire(n: number): Promise<Release> {
    const now = this.tryAcquire(n);
    if (now !== undefined) return now;
    const want = this.clamp(n);
    await new Promise<void>((go) => this.waiting.push({ n: want, go }));
    return this.releaser(want);
  }

  private clamp(n: number): number {
    return Math.min(Math.max(0, n), this.capacity);
  }

  private releaser(n: number): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.used -= n;
      this.wake();
    };
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.n <= this.capacity) {
      const w = this.waiting.shift()!;
      this.used += w.n;
      w.go();
    }
  }
}
