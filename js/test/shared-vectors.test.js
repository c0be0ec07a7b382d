// node --test: the page against the vectors the service and the Java client are held to (src/test/vectors).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { ApiError, retryAfterSeconds } from '../src/api.js';
import { fingerprint } from '../src/fingerprint.js';
import { compositeChecksum } from '../src/hashing.js';
import { classify, PartSendError } from '../src/part-sender.js';
import { PartPlan, partSizeFor } from '../src/part-plan.js';
import { newTally, shouldRetry } from '../src/retry-policy.js';

const vectors = (name) => JSON.parse(readFileSync(new URL(`../../src/test/vectors/${name}`, import.meta.url), 'utf8'));

/** Bytes [start, end) of a generated file (README.md: block k is SHA-256(seed ‖ k as 8 big-endian bytes)). */
function generated(seed, start, end) {
  const out = new Uint8Array(end - start);
  for (let block = Math.floor(start / 32); block * 32 < end; block++) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(block));
    const bytes = createHash('sha256').update(seed, 'utf8').update(counter).digest();
    for (let i = 0; i < 32; i++) {
      const at = block * 32 + i;
      if (at >= start && at < end) out[at - start] = bytes[i];
    }
  }
  return out;
}

/** A File-like object of any size whose bytes are made only when read. */
function generatedFile({ seed, size }) {
  return {
    size,
    slice: (start, end) => ({ arrayBuffer: async () => generated(seed, start, Math.min(end, size)).buffer }),
  };
}

test('part plans: the rule the service plans with, for every size up to 5 TiB and every bound', () => {
  const { bounds, cases } = vectors('part-plans.json');
  for (const c of cases) {
    const b = bounds[c.bounds];
    const limits = { minPartSize: b.min_part_size, maxPartSize: b.max_part_size, defaultPartSize: b.default_part_size };
    const partSize = partSizeFor(c.file_size, c.wished_part_size, limits);
    const plan = new PartPlan(c.file_size, partSize);
    const seen = { part_size: partSize, part_count: plan.partCount, last_part_size: plan.length(plan.partCount) };
    assert.deepEqual(seen, { part_size: c.part_size, part_count: c.part_count, last_part_size: c.last_part_size },
      JSON.stringify(c));
    // Asked with its own answer, the rule answers the same: the service keeps what the page asked for.
    assert.equal(partSizeFor(c.file_size, partSize, limits), partSize, JSON.stringify(c));
  }
});

test('composite checksums: S3\'s formula over the part digests', async () => {
  for (const c of vectors('composite-checksums.json').cases) {
    const digests = c.parts ? c.parts.map((part) => part.sha256)
      : Array.from({ length: c.parts_sha256_of_decimal_part_numbers },
        (_, i) => createHash('sha256').update(String(i + 1)).digest('base64'));
    for (const part of c.parts ?? []) {
      const bytes = part.text !== undefined ? Buffer.from(part.text, 'utf8') : generated(part.generated.seed, 0, part.generated.size);
      assert.equal(createHash('sha256').update(bytes).digest('base64'), part.sha256);
    }
    assert.equal(await compositeChecksum(digests), c.composite);
  }
});

test('resume fingerprints of generated files, up to 5 TiB', async () => {
  for (const c of vectors('fingerprints.json').cases) {
    assert.equal(await fingerprint(generatedFile(c.generated)), c.fingerprint, JSON.stringify(c.generated));
  }
});

/** What the page does after a storage answer with this status and body, on the first failure. */
const storageDecision = (status, body, tally = newTally()) => shouldRetry(classify(status, body), tally);

test('storage error answers: the code read and the class given', () => {
  for (const c of vectors('storage-errors.json').cases) {
    const error = classify(c.status, c.body);
    assert.equal(error.code, c.code ?? '', JSON.stringify(c));
    assert.equal(storageDecision(c.status, c.body).action, c.class, `${c.status} ${c.code}`);
  }
});

function failureOf({ target, failure }) {
  if (failure.network) {
    return target === 'service' ? new ApiError(0, null, null)
      : new PartSendError('transient', failure.network === 'timeout' ? 'Storage did not answer in time'
        : 'The connection to storage failed', 0);
  }
  if (target === 'service') return new ApiError(failure.status, null, retryAfterSeconds(failure.retry_after));
  return classify(failure.status, failure.body ?? '');
}

test('retry decisions: action and wait for every class of failure', () => {
  const { cases } = vectors('retry-decisions.json');
  for (const c of cases) {
    const tally = { ...newTally(), retry: c.retries_so_far };
    const decision = shouldRetry(failureOf(c), tally);
    assert.equal(decision.action, c.expect.action, JSON.stringify(c));
    if (c.expect.delay_ms) {
      const [least, most] = c.expect.delay_ms;
      assert.ok(decision.delayMs >= least && decision.delayMs <= most, `${decision.delayMs} ms for ${JSON.stringify(c)}`);
    }
  }
});
