// Waiting between attempts: exponential backoff with full jitter, the page-wide pause after a 429/503, and
// waiting for the network to return.

export function backoffDelay(attempt, baseMs = 500, maxMs = 30_000) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function waitUntilOnline(signal) {
  if (globalThis.navigator?.onLine ?? true) return Promise.resolve();
  return new Promise((resolve) => {
    window.addEventListener('online', resolve, { once: true });
    signal?.addEventListener('abort', resolve, { once: true });
  });
}

/**
 * A pause every request of the page waits out before it goes: storage or the service said "slow down" (429, 503)
 * to one request, so all of them hold back, not only the one that heard it (as Uppy's request queue does).
 * Costs nothing while no pause is set.
 */
export class Throttle {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.until = 0;
  }

  /** Holds every request back for `ms` from now (a longer pause already set stays). */
  pauseFor(ms) {
    this.until = Math.max(this.until, this.now() + ms);
  }

  /** Milliseconds left of the pause, 0 when none. */
  remaining() {
    return Math.max(0, this.until - this.now());
  }

  /** Resolves once no pause is set (at once when none is), or when `signal` aborts. */
  async whenClear(signal) {
    for (let left = this.remaining(); left > 0 && !signal?.aborted; left = this.remaining()) await sleep(left, signal);
  }
}

/** The page's one throttle: api.js and part-sender.js wait on it before every request. */
export const pageThrottle = new Throttle();
