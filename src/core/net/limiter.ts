// Counting semaphores: one bounds the whole scan, one per host keeps us polite to each server.

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
    this.active++;
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }

  get pending(): number {
    return this.waiting.length;
  }
}

/** One semaphore per key, dropped again when idle so a 10,000-host scan does not keep 10,000 of them. */
export class KeyedSemaphore {
  private readonly byKey = new Map<string, { sem: Semaphore; users: number }>();

  constructor(readonly limit: number) {}

  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { sem: new Semaphore(this.limit), users: 0 };
      this.byKey.set(key, entry);
    }
    entry.users++;
    const e = entry;
    let release: () => void;
    try {
      release = await e.sem.acquire(signal);
    } catch (err) {
      this.drop(key, e);
      throw err;
    }
    return () => {
      release();
      this.drop(key, e);
    };
  }

  private drop(key: string, entry: { sem: Semaphore; users: number }): void {
    entry.users--;
    if (entry.users === 0) this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}
