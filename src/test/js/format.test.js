// node --test: the page's figures (format.js): sizes, speeds, durations and percentages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as format from '../../main/resources/META-INF/resources/js/format.js';

const MIB = 1024 * 1024;

test('sizes, speeds, durations and percentages read as people write them', () => {
  assert.equal(format.bytes(512), '512 B');
  assert.equal(format.bytes(15 * MIB), '15.0 MiB');
  assert.equal(format.bytes(1.5 * 1024), '1.50 KiB');
  assert.equal(format.speed(0), '–');
  assert.equal(format.speed(2 * MIB), '2.00 MiB/s');
  assert.equal(format.duration(0), '–');
  assert.equal(format.duration(42.2), '43 s');
  assert.equal(format.duration(125), '2 min 5 s');
  assert.equal(format.duration(3 * 3600 + 1200), '3 h 20 min');
  assert.equal(format.percent(15 * MIB, 40 * MIB), 37);
  assert.equal(format.percent(1, 0), 0);
});
