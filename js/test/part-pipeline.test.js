// node --test: the part pipeline with a fake storage (XMLHttpRequest) and service (fetch): each part hashed, signed
// in batches and sent once; a refused part read and hashed once more, then the failure in storage's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FreightApi } from '../src/api.js';
import { PartPipeline } from '../src/part-pipeline.js';
import { PartPlan } from '../src/part-plan.js';
import { PartScheduler } from '../src/part-scheduler.js';

/** Storage: answers each PUT with `answer(partNumber, attempt)` -> {status, body?}. */
function fakeStorage(answer) {
  const puts = [];
  globalThis.XMLHttpRequest = class {
    constructor() { this.upload = {}; this.headers = {}; }
    open(method, url) { this.url = url; }
    setRequestHeader(name, value) { this.headers[name] = value; }
    getResponseHeader(name) { return name === 'ETag' ? `"etag-${this.partNumber}"` : null; }
    send(body) {
      this.partNumber = Number(new URL(this.url).searchParams.get('partNumber'));
      puts.push({ partNumber: this.partNumber, size: body.size, checksum: this.headers['x-amz-checksum-sha256'] });
      const attempt = puts.filter((put) => put.partNumber === this.partNumber).length;
      setTimeout(() => {
        const { status, body: text = '' } = answer(this.partNumber, attempt);
        this.status = status;
        this.responseText = text;
        this.onload();
      }, 1);
    }
    abort() { this.onabort?.(); }
  };
  return puts;
}

/** The service's refresh_urls: one URL per listed part, bound to its checksum; its status: `held` parts. */
function fakeService(plan, held = []) {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    if (init.method === 'GET') {
      return new Response(JSON.stringify({ upload_status: 'uploading', uploaded_parts: held.map((n) => ({
        part_number: n, etag: `"held-${n}"`, size: plan.length(n) })) }), { status: 200 });
    }
    const body = JSON.parse(init.body);
    calls.push(body.parts.map((part) => part.part_number));
    const parts = body.parts.map((part) => ({ part_number: part.part_number, size: plan.length(part.part_number),
      url: `http://s3.test/key?partNumber=${part.part_number}`, expires_at: '2999-01-01T00:00:00Z',
      headers: { 'x-amz-checksum-sha256': part.checksum_sha256 } }));
    return new Response(JSON.stringify({ parts }), { status: 200 });
  };
  return calls;
}

const fakeHashPool = () => {
  const hashed = [];
  return { hashed, hash: async (blob) => { hashed.push(blob.size); return `sha-${hashed.length}`; } };
};

function pipeline(plan, file, hashPool, stored, hashing = new Map()) {
  return new PartPipeline({
    api: new FreightApi(),
    upload: { file, plan, fileId: 'f', uploadToken: 't', checksummed: true },
    digests: new Map(), hashing, urls: new Map(), scheduler: new PartScheduler(1 << 30, 6), hashPool,
    signal: new AbortController().signal,
    hooks: { sending() {}, progress() {}, done() {}, stored: (n, etag, digest) => stored.set(n, { etag, digest }) },
  });
}

test('every part is hashed once, signed in batches with its checksum, and sent once with exactly its size', async () => {
  const plan = new PartPlan(20 * 1000 + 7, 1000);
  const file = new Blob([new Uint8Array(plan.fileSize)]);
  const puts = fakeStorage(() => ({ status: 200 }));
  const calls = fakeService(plan);
  const hashPool = fakeHashPool();
  const stored = new Map();
  await pipeline(plan, file, hashPool, stored).send(Array.from({ length: plan.partCount }, (_, i) => i + 1));

  assert.equal(stored.size, 21);
  assert.deepEqual(puts.map((put) => put.partNumber).sort((a, b) => a - b), Array.from({ length: 21 }, (_, i) => i + 1));
  assert.equal(hashPool.hashed.length, 21);
  assert.equal(puts.find((put) => put.partNumber === 21).size, 7);
  assert.ok(puts.every((put) => put.checksum === stored.get(put.partNumber).digest));
  assert.deepEqual(calls.flat().sort((a, b) => a - b), Array.from({ length: 21 }, (_, i) => i + 1));
  assert.ok(calls.length < 21, `URLs signed in batches, not one call per part (${calls.length} calls)`);
});

test('digests begun before init are used, not worked out again; one that failed is hashed again', async () => {
  const plan = new PartPlan(4000, 1000);
  const file = new Blob([new Uint8Array(plan.fileSize)]);
  const puts = fakeStorage(() => ({ status: 200 }));
  fakeService(plan);
  const hashPool = fakeHashPool();
  const stored = new Map();
  const unreadable = Promise.reject(new Error('NotReadableError'));
  unreadable.catch(() => {});
  const begun = new Map([[1, Promise.resolve('early-1')], [2, Promise.resolve('early-2')], [3, unreadable]]);
  await pipeline(plan, file, hashPool, stored, begun).send([1, 2, 3, 4]);
  assert.equal(hashPool.hashed.length, 2, 'parts 3 and 4 only');
  assert.deepEqual([stored.get(1).digest, stored.get(2).digest], ['early-1', 'early-2']);
  assert.equal(puts.find((put) => put.partNumber === 1).checksum, 'early-1');
  assert.equal(begun.size, 0);
});

test('a part storage refuses is read, hashed and signed once more, then fails with storage\'s words', async () => {
  const plan = new PartPlan(3000, 1000);
  const file = new Blob([new Uint8Array(plan.fileSize)]);
  const puts = fakeStorage((n) => (n === 2
    ? { status: 400, body: '<Error><Code>BadDigest</Code><Message>The sha256 you specified did not match</Message></Error>' }
    : { status: 200 }));
  const calls = fakeService(plan);
  const hashPool = fakeHashPool();
  await assert.rejects(pipeline(plan, file, hashPool, new Map()).send([1, 2, 3]),
    { message: 'Part 2: Storage refused the part (BadDigest: The sha256 you specified did not match)' });
  assert.equal(puts.filter((put) => put.partNumber === 2).length, 2);
  assert.equal(hashPool.hashed.length, 4);
  assert.equal(calls.flat().filter((n) => n === 2).length, 2);
});

test('a PUT whose answer was lost is not sent again when storage holds the part; storage is asked first', async () => {
  const plan = new PartPlan(3000, 1000);
  const file = new Blob([new Uint8Array(plan.fileSize)]);
  // Part 2's first PUT reaches storage but its answer is lost (the connection drops).
  const puts = fakeStorage(() => ({ status: 200 }));
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    if (Number(new URL(this.url).searchParams.get('partNumber')) === 2) {
      puts.push({ partNumber: 2, size: body.size, checksum: this.headers['x-amz-checksum-sha256'] });
      setTimeout(() => this.onerror(), 1);
      return;
    }
    send.call(this, body);
  };
  fakeService(plan, [2]);
  const stored = new Map();
  await pipeline(plan, file, fakeHashPool(), stored).send([1, 2, 3]);
  assert.equal(puts.filter((put) => put.partNumber === 2).length, 1);
  assert.deepEqual(stored.get(2), { etag: '"held-2"', digest: puts.find((put) => put.partNumber === 2).checksum });
  assert.deepEqual([...stored.keys()].sort(), [1, 2, 3]);
});
