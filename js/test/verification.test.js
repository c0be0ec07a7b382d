// node --test: the check of the assembled object (verification.js, md5.js, hashing.js): S3's multipart ETag
// (MD5 of the part MD5s, "-", count) computed here with Node's crypto, the composite SHA-256 from the shared vectors.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { compositeChecksum } from '../src/hashing.js';
import { md5, multipartEtag, toHex } from '../src/md5.js';
import { verifyObject } from '../src/verification.js';

// Three parts and their composite checksum from the shared vectors (computed apart from any code under test).
const vector = JSON.parse(readFileSync(new URL('../../src/test/vectors/composite-checksums.json', import.meta.url), 'utf8'))
  .cases.find((c) => c.parts?.length === 3);
const parts = vector.parts.map((part) => Buffer.from(part.text, 'utf8'));
const md5Hex = (bytes) => createHash('md5').update(bytes).digest('hex');
const etags = parts.map((part) => `"${md5Hex(part)}"`);
const digests = vector.parts.map((part) => part.sha256);
const objectEtag = `${md5Hex(Buffer.concat(parts.map((part) => Buffer.from(md5Hex(part), 'hex'))))}-3`;
const objectChecksum = vector.composite;

test('md5 and the multipart ETag match Node\'s MD5 (empty, one block, several blocks)', () => {
  for (const bytes of [Buffer.alloc(0), Buffer.from('abc'), Buffer.alloc(55, 1), Buffer.alloc(56, 2), Buffer.alloc(1000, 3)]) {
    assert.equal(toHex(md5(new Uint8Array(bytes))), md5Hex(bytes));
  }
  assert.equal(multipartEtag(etags), objectEtag);
});

test('the composite SHA-256 is the base64 SHA-256 of the binary part digests, "-", count', async () => {
  assert.equal(await compositeChecksum(digests), objectChecksum);
});

test('an object whose ETag and composite checksum match passes both checks', async () => {
  const checks = await verifyObject({ etag: `"${objectEtag}"`, object_checksum_sha256: objectChecksum, checksum_algorithm: 'SHA256' },
    etags, 3, async (n) => digests[n - 1]);
  assert.deepEqual(checks, [`ETag ${objectEtag} matches`, `SHA-256 ${objectChecksum} matches`]);
});

test('another ETag, another checksum or a SHA256 object without one fails, naming what differs', async () => {
  await assert.rejects(verifyObject({ etag: '"0123-3"' }, etags, 3, async (n) => digests[n - 1]),
    { message: `Integrity check failed: storage's ETag "0123-3" is not ${objectEtag}` });
  await assert.rejects(verifyObject({ etag: objectEtag, object_checksum_sha256: 'AAAA-3' }, etags, 3, async (n) => digests[n - 1]),
    { message: `Integrity check failed: storage's SHA-256 AAAA-3 is not ${objectChecksum}` });
  await assert.rejects(verifyObject({ etag: objectEtag, checksum_algorithm: 'SHA256' }, etags, 3, async (n) => digests[n - 1]),
    { message: 'Integrity check failed: storage reported no SHA-256 for the object' });
  // Part ETags unknown (a resumed upload found done): only the checksum can be checked.
  assert.deepEqual(await verifyObject({ etag: 'whatever', object_checksum_sha256: objectChecksum }, [undefined, '"a"', '"b"'], 3,
    async (n) => digests[n - 1]), [`SHA-256 ${objectChecksum} matches`]);
});
