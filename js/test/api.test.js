// node --test: every /api call (api.js): the endpoint, the Authorization the provider gives, the init's
// Idempotency-Key, and problem answers as ApiErrors that carry what they were sent with.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError, FreightApi, mediaTypeOrDefault } from '../src/api.js';

function fakeService(answer) {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push({ path, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : null });
    return answer(calls.length);
  };
  return calls;
}

test('init sends the Idempotency-Key it is given, the same on a retry, and the provider\'s Authorization', async () => {
  const calls = fakeService(() => new Response(JSON.stringify({ file_id: 'f-1' }), { status: 201 }));
  const api = new FreightApi({ authorization: async () => 'Bearer t-1' });
  {
    const request = { filename: 'a.bin', file_size: 3 };
    assert.deepEqual(await api.initUpload(request, 'key-1'), { file_id: 'f-1' });
    await api.initUpload(request, 'key-1');
    assert.deepEqual(calls.map((call) => call.headers['Idempotency-Key']), ['key-1', 'key-1']);
    assert.deepEqual(calls.map((call) => call.headers.Authorization), ['Bearer t-1', 'Bearer t-1']);
    assert.deepEqual(calls[0].body, request);
    await api.uploadStatus('f-1');
    assert.equal(calls[2].headers['Idempotency-Key'], undefined);
  }
});

test('a refused call is an ApiError with status, problem, Retry-After and the Authorization it carried', async () => {
  fakeService((n) => (n === 1
    ? new Response(JSON.stringify({ title: 'Unauthorized', status: 401 }), { status: 401 })
    : new Response(JSON.stringify({ detail: 'storage is unavailable' }), { status: 503, headers: { 'Retry-After': '4' } })));
  const api = new FreightApi({ authorization: async () => 'Bearer expired' });
  {
    await assert.rejects(api.uploadStatus('f-2'), (error) => error instanceof ApiError && error.status === 401
      && error.authorization === 'Bearer expired' && error.message === 'Unauthorized' && !error.transient);
    await assert.rejects(api.completeUpload('f-2', []), (error) => error.status === 503 && error.retryAfterSeconds === 4
      && error.transient && error.message === 'storage is unavailable');
  }
  globalThis.fetch = async () => { throw new TypeError('Failed to fetch'); };
  await assert.rejects(new FreightApi().abortUpload('f-3'), (error) => error.status === 0 && error.transient && error.authorization === null);
});

test('renewAuthorization asks the provider for a value to replace the refused one', async () => {
  const asked = [];
  const api = new FreightApi({ authorization: async (options) => { asked.push(options); return 'Bearer new'; } });
  await api.renewAuthorization('Bearer old');
  assert.deepEqual(asked, [{ refused: 'Bearer old' }]);
});

test('media types the service refuses become application/octet-stream', () => {
  assert.equal(mediaTypeOrDefault('video/mp4'), 'video/mp4');
  assert.equal(mediaTypeOrDefault('application/vnd.ms-excel'), 'application/vnd.ms-excel');
  for (const bad of ['', 'video', 'a b/c', 'text/plain; charset=utf-8']) assert.equal(mediaTypeOrDefault(bad), 'application/octet-stream');
});

test('calls go to the endpoint given (a trailing slash dropped); without one to the page\'s own origin', async () => {
  const calls = fakeService(() => new Response(JSON.stringify({ uploads: [], next_token: null }), { status: 200 }));
  await new FreightApi({ endpoint: 'https://uploads.example.com/freight/' }).uploadStatus('f 1');
  await new FreightApi().listUploads('Ada', 'uploading', 'v1.x');
  await new FreightApi({ endpoint: 'https://uploads.example.com' }).downloadParts('f-2', 1001);
  assert.deepEqual(calls.map((call) => call.path), ['https://uploads.example.com/freight/api/upload/f%201',
    '/api/upload?limit=50&author_name=Ada&upload_status=uploading&next_token=v1.x',
    'https://uploads.example.com/api/download/f-2?parts=true&first_part=1001']);
  assert.equal(calls[0].headers.Authorization, undefined);
});
