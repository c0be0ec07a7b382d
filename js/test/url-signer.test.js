// node --test: part URLs are signed in batches, each part with its checksum (url-signer.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FreightApi } from '../src/api.js';
import { UrlSigner } from '../src/url-signer.js';

function fakeService() {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    const body = JSON.parse(init.body);
    calls.push(body);
    const parts = body.parts.map((part) => ({ part_number: part.part_number, size: 5, url: `http://s3/${part.part_number}`,
      expires_at: '2999-01-01T00:00:00Z', headers: { 'x-amz-checksum-sha256': part.checksum_sha256 } }));
    return new Response(JSON.stringify({ file_id: body.file_id, parts }), { status: 200 });
  };
  return calls;
}

test('hashed parts wait for a batch; a part a sender needs is signed at once with those pending', async () => {
  const calls = fakeService();
  const signer = new UrlSigner(new FreightApi(), 'file-1', 'token-1', true, new AbortController().signal);
  const first = signer.sign(1, 'digest-1');
  const second = signer.sign(2, 'digest-2');
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(calls.length, 0);
  signer.needed(2);
  const [one, two] = await Promise.all([first, second]);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], { file_id: 'file-1', upload_token: 'token-1', parts: [
    { part_number: 1, checksum_sha256: 'digest-1' }, { part_number: 2, checksum_sha256: 'digest-2' }] });
  assert.equal(one.url, 'http://s3/1');
  assert.equal(two.headers['x-amz-checksum-sha256'], 'digest-2');
});

test('a full batch goes without waiting; a part needed before it is hashed is signed as soon as it is', async () => {
  const calls = fakeService();
  const signer = new UrlSigner(new FreightApi(), 'file-2', null, true, new AbortController().signal);
  await Promise.all(Array.from({ length: 8 }, (_, i) => signer.sign(i + 1, `d${i + 1}`)));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].parts.length, 8);
  signer.needed(9);
  await signer.sign(9, 'd9');
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1].parts, [{ part_number: 9, checksum_sha256: 'd9' }]);
});
