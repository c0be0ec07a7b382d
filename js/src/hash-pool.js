// SHA-256 of parts in a small pool of Web Workers, page-wide: parts are hashed ahead of sending while other parts
// are on the wire, and the page holds at most one part's bytes per worker for it. Falls back to the main thread
// where module workers are unavailable.

import { sha256Base64 } from './hashing.js';
import { measure } from './timing.js';

/**
 * Workers: one per core but one (the browser's network and the page need a core too), at least 2 (so the parts
 * hashed before init are ready sooner), at most 4; each holds one part's bytes while it hashes.
 */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency) {
  return Math.max(2, Math.min(4, (cores || 2) - 1));
}

export class HashPool {
  constructor(size = poolSize()) {
    this.size = size;
    this.idle = [];
    this.workers = 0;
    this.jobs = [];
    this.workerless = typeof Worker === 'undefined';
  }

  /** Resolves with the base64 SHA-256 of `blob`; rejects if it cannot be read (or has another length). */
  hash(blob) {
    return new Promise((resolve, reject) => {
      this.jobs.push({ blob, resolve, reject, queuedAt: performance.now() });
      this.dispatch();
    });
  }

  dispatch() {
    while (this.jobs.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      this.run(worker, this.jobs.shift());
    }
  }

  spawn() {
    if (this.workers >= this.size) return null;
    if (!this.workerless) {
      try {
        const worker = new Worker(new URL('./hash-worker.js', import.meta.url), { type: 'module' });
        // One job per worker at a time: its answer (or its failure) settles the current one.
        worker.onmessage = ({ data }) => worker.answer?.(data);
        worker.onerror = (event) => worker.answer?.({ error: event.message || 'the hashing worker failed' });
        this.workers += 1;
        return worker;
      } catch {
        this.workerless = true;
      }
    }
    this.workers += 1;
    return 'main-thread';
  }

  async run(worker, job) {
    measure('hash-queue', job.queuedAt);
    try {
      const answer = worker === 'main-thread' ? await hashHere(job.blob) : await ask(worker, job.blob);
      if (answer.error) throw new Error(`The file could not be read (${answer.error})`);
      if (answer.length !== job.blob.size) throw new Error('The file changed on disk while uploading');
      measure('read', performance.now() - answer.readMs - answer.hashMs, answer.readMs);
      measure('hash', performance.now() - answer.hashMs, answer.hashMs);
      job.resolve(answer.digest);
    } catch (error) {
      job.reject(error);
    } finally {
      this.idle.push(worker);
      this.dispatch();
    }
  }
}

function ask(worker, blob) {
  return new Promise((resolve) => {
    worker.answer = (data) => {
      worker.answer = null;
      resolve(data);
    };
    worker.postMessage({ blob });
  });
}

async function hashHere(blob) {
  const began = performance.now();
  const bytes = await blob.arrayBuffer();
  const read = performance.now();
  const digest = await sha256Base64(bytes);
  return { digest, length: bytes.byteLength, readMs: read - began, hashMs: performance.now() - read };
}

let shared;
/** The page's pool, shared by all its uploads. */
export const sharedHashPool = () => (shared ??= new HashPool());
