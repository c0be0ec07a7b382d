// node --test: the uploader's front door (uploader.js): the token provider sees bare tokens and the service gets
// Bearer ones; the service's unfinished uploads come back as tasks waiting for their file, with the identity kept in
// their metadata; an upload's progress event tells bytes, rate, time left and the parts on the wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { UploadTask } from '../src/upload-task.js';
import { Uploader } from '../src/uploader.js';

function fakeService(answers) {
  const calls = [];
  globalThis.fetch = async (url, init) => {
    calls.push({ url, authorization: init.headers.Authorization });
    const [status, body] = answers(url);
    return new Response(JSON.stringify(body), { status });
  };
  return calls;
}

test('the token provider answers bare tokens, asked again with the refused one; calls carry Bearer', async () => {
  const asked = [];
  const uploader = new Uploader({ endpoint: 'https://f.test/', token: async (ask) => { asked.push(ask); return ask.refused ? 'fresh' : 'old'; } });
  const calls = fakeService(() => [200, { upload_status: 'uploading' }]);
  await uploader.api.uploadStatus('f-1');
  await uploader.api.renewAuthorization('Bearer old');
  assert.deepEqual(calls, [{ url: 'https://f.test/api/upload/f-1', authorization: 'Bearer old' }]);
  assert.deepEqual(asked, [{}, { refused: 'old' }]);
  const anonymous = new Uploader({ token: async () => null });
  await anonymous.api.uploadStatus('f-2');
  assert.equal(calls[1].authorization, undefined);
  uploader.abort();
  anonymous.abort();
});

test('findUnfinished lists every page, skips known and no longer unfinished uploads, and answers waiting tasks', async () => {
  const status = (id, upload_status) => ({ file_id: id, upload_status, filename: `${id}.bin`, file_size: 12_000_000,
    file_type: 'application/octet-stream', part_size: 5_242_880, part_count: 3, author_name: 'Ada',
    created_at: '2026-12-01T10:00:00Z', metadata: { fingerprint: `fp-${id}`, last_modified: '1700000000000' },
    uploaded_parts: [{ part_number: 1, etag: '"e1"', size: 5_242_880 }], bytes_uploaded: 5_242_880 });
  const calls = fakeService((url) => {
    if (url.includes('/api/upload?')) {
      return url.includes('next_token') ? [200, { uploads: [{ file_id: 'c' }], next_token: null }]
        : [200, { uploads: [{ file_id: 'a' }, { file_id: 'b' }], next_token: 'v1.next' }];
    }
    const id = url.split('/').pop();
    return [200, status(id, id === 'b' ? 'uploaded' : 'uploading')];
  });
  const uploader = new Uploader({ authorName: 'Ada' });
  const announced = [];
  uploader.addEventListener('upload', (event) => announced.push(event.detail.fileId));
  const found = await uploader.findUnfinished();
  assert.deepEqual(found.map((task) => task.fileId), ['c', 'a']);
  assert.deepEqual(announced, ['c', 'a']);
  assert.ok(calls[0].url.includes('author_name=Ada') && calls[0].url.includes('upload_status=uploading'));
  const [task] = found;
  assert.equal(task.state, 'waiting-file');
  assert.equal(task.record.fingerprint, 'fp-c');
  assert.equal(task.record.lastModified, 1_700_000_000_000);
  assert.equal(task.storedPartCount, 1);
  const progress = task.progressNow;
  assert.deepEqual({ ...progress, rate: 0 }, { state: 'waiting-file', bytesSent: 5_242_880, bytesTotal: 12_000_000, rate: 0,
    etaSeconds: null, partsStored: 1, partCount: 3, partsOnTheWire: [] });
  assert.deepEqual((await uploader.findUnfinished()).map((t) => t.fileId), [], 'known uploads are not found twice');
  uploader.abort();
});

test('the progress event tells the parts on the wire, the rate and the time left', () => {
  const MIB = 1_048_576;
  const uploader = new Uploader();
  const task = uploader.track(new UploadTask({ ...uploader.engine(),
    record: { fileId: 'p', name: 'p.bin', size: 100 * MIB, partSize: 10 * MIB, partCount: 10, partDigests: {} } }));
  const details = [];
  task.addEventListener('progress', (event) => details.push(event.detail));
  task.state = 'uploading';
  const now = performance.now();
  task.progress.partStored(1, '"e"', 10 * MIB, null);
  const second = { phase: 'sending', loaded: 4 * MIB };
  task.progress.sending(2, second);
  task.progress.measure(task.size, now - 2000);
  second.loaded = 8 * MIB;
  task.progress.sending(3, { phase: 'preparing', loaded: 0 });
  task.progress.measure(task.size, now);
  task.changed();
  const last = details.at(-1);
  assert.equal(last.bytesSent, 18 * MIB);
  assert.deepEqual(last.partsOnTheWire, [{ partNumber: 2, phase: 'sending', loaded: 8 * MIB },
    { partNumber: 3, phase: 'preparing', loaded: 0 }]);
  assert.equal(last.partsStored, 1);
  // 4 MiB in the 2 s between the samples (and the few ms since): about 2 MiB/s, 82 MiB left in about 41 s.
  assert.ok(last.rate > 1.9 * MIB && last.rate <= 2 * MIB, `rate ${last.rate}`);
  assert.ok(last.etaSeconds >= 41 && last.etaSeconds < 43.2, `eta ${last.etaSeconds}`);
  uploader.abort();
});
