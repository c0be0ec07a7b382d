// node --test: waiting between attempts (backoff.js): backoff bounds and the page-wide pause.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffDelay, sleep, Throttle } from '../src/backoff.js';

test('backoff grows exponentially with jitter in the upper half, up to the ceiling', () => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(30_000, 500 * 2 ** attempt);
    const delay = backoffDelay(attempt);
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay}`);
  }
});

test('a pause holds every request for the longest pause asked for; none set costs no wait', async () => {
  let now = 1000;
  const throttle = new Throttle(() => now);
  assert.equal(throttle.remaining(), 0);
  await throttle.whenClear();
  throttle.pauseFor(5000);
  throttle.pauseFor(2000);
  assert.equal(throttle.remaining(), 5000);
  now = 4000;
  assert.equal(throttle.remaining(), 2000);
  now = 6000;
  assert.equal(throttle.remaining(), 0);
  await throttle.whenClear();
});

test('waiting ends at once when the upload is stopped', async () => {
  const throttle = new Throttle();
  throttle.pauseFor(3_600_000);
  const stop = new AbortController();
  const waiting = throttle.whenClear(stop.signal);
  stop.abort();
  await waiting;
  await sleep(3_600_000, stop.signal);
  assert.ok(throttle.remaining() > 0);
});
