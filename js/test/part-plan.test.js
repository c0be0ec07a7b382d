// node --test: how the page cuts a file into parts (part-plan.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_PARTS, MIN_PART_SIZE, PartPlan, partSizeFor } from '../src/part-plan.js';

const MIB = 1024 * 1024;

test('16 MiB parts by default, the wish when given, never below 5 MiB or above 10,000 parts', () => {
  assert.equal(partSizeFor(1024 * MIB), 16 * MIB);
  assert.equal(partSizeFor(40 * MIB, 5 * MIB), 5 * MIB);
  assert.equal(partSizeFor(40 * MIB, 1024), MIN_PART_SIZE);
  const huge = 4 * 1024 * 1024 * MIB; // 4 TiB, within S3's 5 TiB object limit
  assert.ok(Math.ceil(huge / partSizeFor(huge)) <= MAX_PARTS);
});

test('parts cover the file exactly, the last one shorter', () => {
  const plan = new PartPlan(27 * MIB + 5, 5 * MIB);
  assert.equal(plan.partCount, 6);
  assert.equal(plan.length(1), 5 * MIB);
  assert.equal(plan.length(6), 2 * MIB + 5);
  assert.equal(plan.start(6), 25 * MIB);
  assert.deepEqual(plan.first(10), [1, 2, 3, 4, 5, 6]);
  const blob = new Blob([new Uint8Array(27 * MIB + 5)]);
  assert.equal(plan.slice(blob, 6).size, 2 * MIB + 5);
});
