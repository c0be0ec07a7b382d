// node --test: how far an upload got (upload-progress.js): stored parts, parts on the wire, bytes sent, speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RateMeter } from '../src/rate-meter.js';
import { UploadProgress } from '../src/upload-progress.js';

test('the service\'s byte count shows until parts are known; then stored plus on-the-wire bytes, at most the size', () => {
  const progress = new UploadProgress(1234);
  assert.equal(progress.bytesSent(10_000), 1234);
  progress.learn([{ part_number: 1, etag: '"a"', size: 4000, checksum_sha256: 'c1' }, { part_number: 3, etag: '"c"', size: 2000 }]);
  assert.equal(progress.bytesSent(10_000), 6000);
  assert.deepEqual(progress.missing(3), [2]);
  assert.deepEqual(progress.etags(3), ['"a"', undefined, '"c"']);
  assert.deepEqual(progress.stored.get(3), { etag: '"c"', size: 2000, checksum: null });

  progress.sending(2, { phase: 'sending', loaded: 1500 });
  assert.equal(progress.bytesSent(10_000), 7500);
  assert.deepEqual(progress.onTheWire(), [[2, { phase: 'sending', loaded: 1500 }]]);
  progress.partStored(2, '"b"', 4000, 'c2');
  assert.equal(progress.bytesSent(10_000), 10_000);
  assert.deepEqual(progress.onTheWire(), []);
  assert.deepEqual(progress.missing(3), []);
  progress.sending(4, { phase: 'sending', loaded: 999 });
  assert.equal(progress.bytesSent(10_000), 10_000);
  progress.stopSending();
  assert.deepEqual(progress.onTheWire(), []);
});

test('the speed is measured from the bytes sent over the meter\'s window', () => {
  const progress = new UploadProgress(0, new RateMeter(5000));
  progress.measure(1_000_000, 0);
  progress.sending(1, { phase: 'sending', loaded: 500_000 });
  progress.measure(1_000_000, 2000);
  assert.equal(progress.speed(2000), 250_000);
  progress.restartMeter();
  assert.equal(progress.speed(2000), 0);
});

test('complete lists every part with its ETag and the page\'s own digest, else the one storage reported', () => {
  const progress = new UploadProgress();
  progress.learn([{ part_number: 1, etag: '"a"', size: 5, checksum_sha256: 'from-storage-1' },
    { part_number: 2, etag: '"b"', size: 5 }, { part_number: 3, etag: '"c"', size: 1, checksum_sha256: 'from-storage-3' }]);
  assert.deepEqual(progress.completeParts(3, { 1: 'own-1', 2: 'own-2' }, true), [
    { part_number: 1, etag: '"a"', checksum_sha256: 'own-1' }, { part_number: 2, etag: '"b"', checksum_sha256: 'own-2' },
    { part_number: 3, etag: '"c"', checksum_sha256: 'from-storage-3' }]);
  assert.deepEqual(progress.completeParts(3, { 1: 'own-1' }, false).map((part) => Object.keys(part)),
    [['part_number', 'etag'], ['part_number', 'etag'], ['part_number', 'etag']]);
});
