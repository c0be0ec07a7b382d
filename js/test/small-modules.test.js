// node --test: the package's small pure modules: the part scheduler, the rate meter, fingerprints, the
// memory budget and the hash pool's size.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HOST_CONNECTION_LIMIT, memoryBudget } from '../src/concurrency.js';
import { differenceFrom, fingerprint, identify } from '../src/fingerprint.js';
import { poolSize } from '../src/hash-pool.js';
import { PartScheduler } from '../src/part-scheduler.js';
import { RateMeter } from '../src/rate-meter.js';

const MIB = 1024 * 1024;

test('the scheduler keeps part bytes within the budget and connections within the host limit, in order', async () => {
  const scheduler = new PartScheduler(10 * MIB, 2);
  const first = await scheduler.acquire(4 * MIB);
  const second = await scheduler.acquire(4 * MIB);
  const granted = [];
  const third = scheduler.acquire(1 * MIB).then((release) => { granted.push('third'); return release; });
  const fourth = scheduler.acquire(1 * MIB).then((release) => { granted.push('fourth'); return release; });
  await Promise.resolve();
  assert.deepEqual(granted, []);
  first();
  first(); // a second release changes nothing
  const releaseThird = await third;
  assert.deepEqual(granted, ['third']);
  assert.equal(scheduler.slotsInUse, 2);
  second();
  (await fourth)();
  releaseThird();
  assert.equal(scheduler.bytesInUse, 0);
  // A part bigger than the whole budget still goes, alone.
  const huge = await scheduler.acquire(64 * MIB);
  assert.equal(typeof huge, 'function');
  const stop = new AbortController();
  const waiting = scheduler.acquire(MIB, stop.signal);
  stop.abort();
  assert.equal(await waiting, null);
  huge();
  assert.equal(scheduler.slotsInUse, 0);
});

test('the memory budget is a sixteenth of the device\'s memory between 64 and 512 MiB; 6 connections per host', () => {
  assert.equal(memoryBudget(null), 256 * MIB);
  assert.equal(memoryBudget(0.5), 64 * MIB);
  assert.equal(memoryBudget(4), 256 * MIB);
  assert.equal(memoryBudget(64), 512 * MIB);
  assert.equal(HOST_CONNECTION_LIMIT, 6);
  assert.deepEqual([1, 2, 4, 8, 16].map(poolSize), [2, 2, 3, 4, 4]);
});

test('the rate is bytes over the window, 0 until half a second of samples, falling when nothing moves', () => {
  const meter = new RateMeter(5000);
  meter.record(0, 0);
  assert.equal(meter.rate(100), 0);
  meter.record(1000, 200);
  assert.equal(meter.rate(400), 0);
  meter.record(4000, 1000);
  assert.equal(meter.rate(1000), 4000);
  assert.equal(meter.rate(2000), 2000);
  assert.equal(meter.rate(20_000), 0);
});

test('a file picked for a resume must have the name, size, time and content samples the upload started with', async () => {
  const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
  const file = new File([bytes], 'holiday.mov', { lastModified: 1700000000000 });
  const expected = await identify(file);
  assert.equal(expected.fingerprint, await fingerprint(new File([bytes], 'other-name')));
  assert.equal(await differenceFrom(expected, file), null);
  const changed = bytes.slice();
  changed[150_000] ^= 1;
  assert.equal(await differenceFrom(expected, new File([changed], 'holiday.mov', { lastModified: 1700000000000 })),
    'its content differs');
  assert.match(await differenceFrom(expected, new File([bytes], 'holiday.mp4', { lastModified: 1700000000000 })), /named “holiday.mp4”/);
  assert.match(await differenceFrom(expected, new File([bytes.slice(1)], 'holiday.mov', { lastModified: 1700000000000 })), /299999 bytes/);
  assert.equal(await differenceFrom(expected, new File([bytes], 'holiday.mov', { lastModified: 1 })), 'it was modified at another time');
});
