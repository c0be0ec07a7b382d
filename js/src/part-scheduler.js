// Hands out slots for parts across all uploads of the page, so the sum of part buffers in memory stays within
// the budget and the connections to storage within the browser's per-host limit.

import { HOST_CONNECTION_LIMIT, memoryBudget } from './concurrency.js';

export class PartScheduler {
  constructor(budget = memoryBudget(), hostLimit = HOST_CONNECTION_LIMIT) {
    this.budget = budget;
    this.hostLimit = hostLimit;
    this.bytesInUse = 0;
    this.slotsInUse = 0;
    this.waiting = [];
  }

  /**
   * Resolves with a release function once a part of `bytes` fits (a part bigger than the budget runs alone), or
   * with null when `signal` aborts first.
   */
  acquire(bytes, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(null);
      const entry = { bytes, resolve };
      this.waiting.push(entry);
      signal?.addEventListener('abort', () => {
        if (this.waiting.includes(entry)) {
          this.waiting = this.waiting.filter((other) => other !== entry);
          resolve(null);
        }
      }, { once: true });
      this.grant();
    });
  }

  grant() {
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      const fits = this.slotsInUse === 0 || (this.bytesInUse + next.bytes <= this.budget && this.slotsInUse < this.hostLimit);
      if (!fits) return;
      this.waiting.shift();
      this.bytesInUse += next.bytes;
      this.slotsInUse += 1;
      let released = false;
      next.resolve(() => {
        if (released) return;
        released = true;
        this.bytesInUse -= next.bytes;
        this.slotsInUse -= 1;
        this.grant();
      });
    }
  }
}
