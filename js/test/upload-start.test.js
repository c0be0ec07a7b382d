// node --test: what a new file's init sends (upload-start.js), made once so every try is the same request, and what
// the page keeps of the answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { prepareInit, started } from '../src/upload-start.js';

const MIB = 1024 * 1024;
const hashPool = { hash: async (blob) => `digest-of-${blob.size}` };

test('init names the SHA256 kind, the first parts\' digests, the fingerprint and the modification time', async () => {
  const file = new File([new Uint8Array(40 * MIB + 3)], 'film.mp4', { type: 'video/mp4', lastModified: 1234 });
  const prepared = await prepareInit(file, { authorName: 'Ann', wishedPartSize: 5 * MIB, hashPool,
    now: new Date('2026-01-02T03:04:05Z') });
  assert.deepEqual(prepared.first, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual({ ...prepared.body, metadata: undefined, parts: undefined }, {
    filename: 'film.mp4', file_type: 'video/mp4', file_size: 40 * MIB + 3, author_name: 'Ann',
    created_at: '2026-01-02T03:04:05.000Z', part_size: 5 * MIB, checksum_algorithm: 'SHA256',
    metadata: undefined, parts: undefined });
  assert.deepEqual(prepared.body.parts[5], { part_number: 6, checksum_sha256: `digest-of-${5 * MIB}` });
  assert.equal(prepared.body.metadata.last_modified, '1234');
  assert.equal(prepared.body.metadata.fingerprint, prepared.identity.fingerprint);
  await assert.rejects(prepareInit(new File([], 'empty'), { hashPool }), { message: 'Empty files cannot be uploaded' });
  const odd = await prepareInit(new File(['x'], 'odd', { type: 'not a type' }), { hashPool });
  assert.equal(odd.body.file_type, 'application/octet-stream');
});

test('the answer\'s URLs and the digests are kept only when the service cut the file as asked', async () => {
  const file = new File([new Uint8Array(12 * MIB)], 'a.bin', { lastModified: 1 });
  const prepared = await prepareInit(file, { authorName: 'Ann', wishedPartSize: 5 * MIB, hashPool });
  const answer = { file_id: 'f-1', part_size: 5 * MIB, part_count: 3, parts: [{ part_number: 1, url: 'u1' }] };
  const kept = started(prepared, answer, 'key-1', new Date('2026-01-02T00:00:00Z'));
  assert.deepEqual(kept.digests, [[1, `digest-of-${5 * MIB}`], [2, `digest-of-${5 * MIB}`], [3, `digest-of-${2 * MIB}`]]);
  assert.deepEqual(kept.urls, [[1, { part_number: 1, url: 'u1' }]]);
  assert.deepEqual({ ...kept.record, fingerprint: undefined }, { fileId: 'f-1', name: 'a.bin', size: 12 * MIB,
    lastModified: 1, fingerprint: undefined, type: 'application/octet-stream', partSize: 5 * MIB, partCount: 3,
    authorName: 'Ann', startedAt: '2026-01-02T00:00:00.000Z', partDigests: {}, idempotencyKey: 'key-1' });
  const recut = started(prepared, { ...answer, part_size: 8 * MIB, part_count: 2 }, 'key-1');
  assert.deepEqual([recut.digests, recut.urls, recut.record.partSize], [[], [], 8 * MIB]);
});

test('init waits for one round of the hashing workers; the other opening parts are hashed meanwhile', async () => {
  const file = new File([new Uint8Array(40 * MIB + 3)], 'film.mp4', { lastModified: 1 });
  const asked = [];
  const twoWorkers = { size: 2, hash: (blob) => { asked.push(blob.size); return Promise.resolve(`digest-${asked.length}`); } };
  const prepared = await prepareInit(file, { authorName: 'Ann', wishedPartSize: 5 * MIB, hashPool: twoWorkers });
  assert.deepEqual(prepared.first, [1, 2]);
  assert.deepEqual(prepared.body.parts.map((part) => part.part_number), [1, 2]);
  assert.equal(asked.length, 6, 'parts 1-6 all asked of the pool at once');
  assert.deepEqual([...prepared.ahead.keys()], [3, 4, 5, 6]);
  assert.equal(await prepared.ahead.get(6), 'digest-6');
  const answer = { file_id: 'f-1', part_size: 5 * MIB, part_count: 9, parts: [] };
  assert.deepEqual(started(prepared, answer, 'key').ahead.map(([n]) => n), [3, 4, 5, 6]);
  assert.deepEqual(started(prepared, { ...answer, part_size: 8 * MIB }, 'key').ahead, [], 'recut: other parts');
});
