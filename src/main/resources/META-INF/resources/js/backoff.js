// Waiting between attempts: exponential backoff with full jitter, and waiting for the network to return.

export function backoffDelay(attempt, baseMs = 500, maxMs = 30_000) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      resolve();
    }
  });
}

export function waitUntilOnline(signal) {
  if (navigator.onLine) return Promise.resolve();
  return new Promise((resolve) => {
    window.addEventListener('online', resolve, { once: true });
    signal?.addEventListener('abort', resolve, { once: true });
  });
}
