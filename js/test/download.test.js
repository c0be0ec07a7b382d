// node --test: verified download by parts (download.js) against a fake service and storage: parts fetched in
// parallel and written in order, each checked against its SHA-256; a part corrupted on the way fetched again; an
// expired URL signed again; a part that stays wrong, or digests that do not make the object's checksum, fail.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import { FreightApi } from '../src/api.js';
import { downloadVerified, IntegrityError } from '../src/download.js';

const sha = (bytes) => createHash('sha256').update(bytes).digest('base64');
/** S3's composite checksum, computed here with Node's crypto apart from the code under test. */
const composite = (digests) => `${createHash('sha256').update(Buffer.concat(digests.map((d) => Buffer.from(d, 'base64'))))
  .digest('base64')}-${digests.length}`;

/** A file of `size` bytes in parts of `partSize`; `answer(partNumber, attempt, bytes)` -> Response for each GET. */
function fakeStorage(size, partSize, answer, { pageSize = 1000, objectChecksum } = {}) {
  const file = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 251));
  const count = Math.ceil(size / partSize);
  const parts = Array.from({ length: count }, (_, i) => {
    const bytes = file.subarray(i * partSize, Math.min(size, (i + 1) * partSize));
    return { part_number: i + 1, offset: i * partSize, size: bytes.length, checksum_sha256: sha(bytes),
      url: `http://s3.test/key?part=${i + 1}`, expires_at: '2999-01-01T00:00:00Z',
      headers: { Range: `bytes=${i * partSize}-${i * partSize + bytes.length - 1}` } };
  });
  const gets = [];
  const listings = [];
  globalThis.fetch = async (url, init) => {
    if (url.startsWith('/api/download/')) {
      const first = Number(new URL(url, 'http://x').searchParams.get('first_part'));
      listings.push(first);
      const page = parts.slice(first - 1, first - 1 + pageSize)
        .map((part) => ({ ...part, url: `${part.url}&signed=${listings.length}` }));
      const next = first - 1 + pageSize < count ? first + pageSize : null;
      return new Response(JSON.stringify({ file_id: 'f', filename: 'a.bin', file_type: 'application/x-test',
        file_size: size, object_checksum_sha256: objectChecksum ?? composite(parts.map((p) => p.checksum_sha256)),
        parts: page, next_part: next }), { status: 200 });
    }
    const partNumber = Number(new URL(url).searchParams.get('part'));
    const [, from, to] = /bytes=(\d+)-(\d+)/.exec(init.headers.Range);
    gets.push(partNumber);
    const bytes = file.subarray(Number(from), Number(to) + 1);
    return answer(partNumber, gets.filter((n) => n === partNumber).length, Buffer.from(bytes), url);
  };
  return { file, gets, listings };
}

const ok = (bytes) => new Response(bytes, { status: 206 });

test('every part is fetched once, in parallel, checked, and the bytes come out in order', async () => {
  const { file, gets, listings } = fakeStorage(10_007, 1000, (n, attempt, bytes) => ok(bytes), { pageSize: 4 });
  const seen = [];
  const result = await downloadVerified(new FreightApi(), 'f', { onProgress: (p) => seen.push(p.partsChecked) });
  assert.deepEqual(Buffer.from(await result.blob.arrayBuffer()), file);
  assert.equal(result.size, 10_007);
  assert.equal(result.partsChecked, 11);
  assert.equal(result.blob.type, 'application/x-test');
  assert.deepEqual(gets.sort((a, b) => a - b), Array.from({ length: 11 }, (_, i) => i + 1));
  assert.deepEqual(listings, [1, 5, 9]);
  assert.deepEqual(seen, Array.from({ length: 11 }, (_, i) => i + 1));
});

test('a part corrupted on the way is fetched again; an expired URL is signed again; a writable gets the bytes', async () => {
  const { file, gets, listings } = fakeStorage(5000, 1000, (n, attempt, bytes, url) => {
    if (n === 2 && attempt === 1) { bytes[10] ^= 1; return ok(bytes); }
    if (n === 4 && !url.includes('signed=2')) return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', { status: 403 });
    return ok(bytes);
  });
  const written = [];
  const writable = new WritableStream({ write: (chunk) => { written.push(Buffer.from(chunk)); } });
  const result = await downloadVerified(new FreightApi(), 'f', { writable });
  assert.equal(result.blob, null);
  assert.deepEqual(Buffer.concat(written), file);
  assert.deepEqual(gets.filter((n) => n === 2).length, 2);
  assert.deepEqual(listings, [1, 4]);
});

test('a part wrong on every fetch, or digests that do not make the object\'s checksum, fail with IntegrityError', async () => {
  fakeStorage(3000, 1000, (n, attempt, bytes) => {
    if (n === 3) bytes[0] ^= 0xff;
    return ok(bytes);
  });
  await assert.rejects(downloadVerified(new FreightApi(), 'f'),
    (error) => error instanceof IntegrityError && /Part 3: its SHA-256/.test(error.message));
  fakeStorage(3000, 1000, (n, attempt, bytes) => ok(bytes), { objectChecksum: 'AAAA-3' });
  await assert.rejects(downloadVerified(new FreightApi(), 'f'),
    (error) => error instanceof IntegrityError && /object's checksum AAAA-3/.test(error.message));
  fakeStorage(3000, 1000, (n, attempt, bytes) => ok(n === 1 ? bytes.subarray(1) : bytes));
  await assert.rejects(downloadVerified(new FreightApi(), 'f'), /Part 1: 999 bytes arrived, it has 1000/);
});
