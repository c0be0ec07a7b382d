// node --test: the one retry rule of the page (src/main/resources/META-INF/resources/js/retry-policy.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError, FreightApi } from '../src/api.js';
import { classify, PartSendError } from '../src/part-sender.js';
import { LIMITS, newTally, retrying, shouldRetry } from '../src/retry-policy.js';

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

test('API errors: 503 honours Retry-After (a page-wide pause), a 4xx is final and kept as it came', () => {
  assert.deepEqual(shouldRetry(new ApiError(503, null, 2), newTally()), { action: 'throttle', delayMs: 2000 });
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

test('429 and 503 pause the whole page (from storage and the service alike); other 5xx back off this request only', () => {
  for (const status of [429, 503]) {
    assert.equal(shouldRetry(s3Error(status, 'SlowDown', 'Please reduce your request rate'), newTally()).action, 'throttle');
    assert.equal(shouldRetry(new ApiError(status, null, null), newTally()).action, 'throttle');
  }
  for (const status of [500, 502, 504]) assert.equal(shouldRetry(new ApiError(status, null, null), newTally()).action, 'retry');
  assert.equal(shouldRetry(new ApiError(0, null, null), newTally()).action, 'retry');
  assert.equal(shouldRetry(new ApiError(503, null, null), newTally(), { online: false }).action, 'wait-online');
  const tally = { ...newTally(), retry: LIMITS.transient - 1 };
  assert.match(shouldRetry(new ApiError(503, null, null), tally).error.message, /failed 8 times/);
});

test('a refused token is asked for again twice, then the upload fails saying to sign in again', () => {
  const unauthorized = new ApiError(401, { title: 'Unauthorized' }, null, 'Bearer old');
  const tally = newTally();
  for (let i = 0; i < LIMITS.reauthorize; i++, tally.reauthorize++) assert.equal(shouldRetry(unauthorized, tally).action, 'reauthorize');
  const last = shouldRetry(unauthorized, tally);
  assert.equal(last.action, 'fail');
  assert.match(last.error.message, /refused the sign-in .*sign in again/);
  assert.equal(last.error.cause, unauthorized);
});

test('a complete naming parts storage lacks sends them again twice; a 409 without parts is final', () => {
  const lacking = new ApiError(409, { detail: 'parts missing', parts: [{ part_number: 2 }] }, null);
  const tally = newTally();
  for (let i = 0; i < LIMITS.resendParts; i++, tally.resendParts++) assert.equal(shouldRetry(lacking, tally).action, 'resend-parts');
  assert.equal(shouldRetry(lacking, tally).error, lacking);
  const notUploading = new ApiError(409, { detail: 'not uploading' }, null);
  assert.equal(shouldRetry(notUploading, newTally()).error, notUploading);
});

test('retrying: a 503 sets the page-wide pause before the next attempt; a 401 asks the provider with the refused value', async () => {
  const paused = [];
  const throttle = { pauseFor: (ms) => paused.push(ms), whenClear: async () => {} };
  let attempts = 0;
  assert.equal(await retrying(async () => {
    attempts += 1;
    if (attempts === 1) throw new ApiError(503, null, 3);
    return 'done';
  }, { throttle }), 'done');
  assert.deepEqual(paused, [3000]);

  const asked = [];
  const api = new FreightApi({ authorization: async ({ refused } = {}) => {
    if (refused !== undefined) asked.push(refused);
    return asked.length ? 'Bearer fresh' : 'Bearer old';
  } });
  {
    const decisions = [];
    const result = await retrying(async (previous, decision) => {
      decisions.push(decision?.action ?? null);
      if (!previous) throw new ApiError(401, null, null, 'Bearer old');
      return 'stored';
    }, { throttle, api });
    assert.equal(result, 'stored');
    assert.deepEqual(asked, ['Bearer old']);
    assert.deepEqual(decisions, [null, 'reauthorize']);
  }
});
