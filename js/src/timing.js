// Timing marks for the benchmarks (bench/run.sh): with `?timing` in the page's address, each phase of each part
// (read, hash, sign, send, waits) becomes a `performance.measure` named `freight:<phase>`. Off otherwise, so a
// long upload does not fill the performance timeline.

const enabled = typeof location !== 'undefined' && new URLSearchParams(location.search).has('timing');

/** Records phase `name` from `start` (a performance.now() time) for `duration` ms, or until now. */
export function measure(name, start, duration = performance.now() - start) {
  if (enabled) performance.measure(`freight:${name}`, { start, duration });
}
