// node --test: the one retry rule of the page (src/main/resources/META-INF/resources/js/retry-policy.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError } from '../../main/resources/META-INF/resources/js/api.js';
import { classify, PartSendError } from '../../main/resources/META-INF/resources/js/part-sender.js';
import { LIMITS, newTally, retrying, shouldRetry } from '../../main/resources/META-INF/resources/js/retry-policy.js';

const s3Error = (status, code, message) => classify(status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);

test('storage answers are sorted by what can fix them', () => {
  assert.equal(s3Error(403, 'AccessDenied', 'Request has expired').kind, 'expired');
  assert.equal(s3Error(400, 'BadDigest', 'The sha256 you specified did not match').kind, 'refused');
  assert.equal(s3Error(400, 'InvalidRequest', 'Checksum Type mismatch occurred').kind, 'refused');
  assert.equal(s3Error(404, 'NoSuchUpload', 'The specified upload does not exist').kind, 'final');
  for (const status of [408, 429, 500, 503]) assert.equal(s3Error(status, 'SlowDown', 'x').kind, 'transient');
  assert.match(s3Error(400, 'InvalidRequest', 'Checksum Type mismatch occurred').message,
    /InvalidRequest: Checksum Type mismatch occurred/);
});

test('a refused part is read and hashed again once, then fails with storage\'s words', () => {
  const refused = s3Error(400, 'InvalidRequest', 'Checksum Type mismatch occurred');
  const tally = newTally();
  assert.equal(shouldRetry(refused, tally).action, 'rehash');
  tally.rehash += 1;
  const last = shouldRetry(refused, tally);
  assert.equal(last.action, 'fail');
  assert.equal(last.error.message, 'Storage refused the part (InvalidRequest: Checksum Type mismatch occurred)');
});

test('an expired URL is signed again a few times, transient failures back off up to the limit', () => {
  const expired = s3Error(403, 'AccessDenied', 'Request has expired');
  const tally = newTally();
  for (let i = 0; i < LIMITS.resign; i++, tally.resign++) assert.equal(shouldRetry(expired, tally).action, 'resign');
  assert.equal(shouldRetry(expired, tally).action, 'fail');

  const reset = new PartSendError('transient', 'The connection to storage failed', 0);
  const retries = newTally();
  for (let i = 0; i < LIMITS.transient - 1; i++, retries.retry++) {
    const decision = shouldRetry(reset, retries);
    assert.equal(decision.action, 'retry');
    assert.ok(decision.delayMs > 0);
  }
  assert.match(shouldRetry(reset, retries).error.message, /failed 8 times: The connection to storage failed/);
  assert.equal(shouldRetry(reset, newTally(), { online: false }).action, 'wait-online');
});

test('API errors: 503 honours Retry-After, a 4xx is final and kept as it came', () => {
  assert.deepEqual(shouldRetry(new ApiError(503, null, 2), newTally()), { action: 'retry', delayMs: 2000 });
  const conflict = new ApiError(409, { detail: 'parts missing' }, null);
  assert.equal(shouldRetry(conflict, newTally()).error, conflict);
  assert.equal(shouldRetry(new TypeError('boom'), newTally()).action, 'fail');
});

test('retrying runs the remedy before the next attempt and stops at the first success', async () => {
  const remedies = [];
  let attempts = 0;
  const result = await retrying(async (previous) => {
    attempts += 1;
    if (attempts === 1) throw s3Error(400, 'BadDigest', 'mismatch');
    assert.equal(previous.code, 'BadDigest');
    return 'stored';
  }, { onRemedy: (decision) => remedies.push(decision.action) });
  assert.equal(result, 'stored');
  assert.deepEqual(remedies, ['rehash']);
});
