// A Web Worker that reads one part (a Blob slice of the file) and hashes it, so neither the bytes nor the hashing
// ever touch the page's main thread. Answers {digest (base64 SHA-256), length, readMs, hashMs} or {error}.

import { toBase64 } from './hashing.js';

self.onmessage = async ({ data: { blob } }) => {
  try {
    const began = performance.now();
    const bytes = await blob.arrayBuffer();
    const read = performance.now();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    self.postMessage({ digest: toBase64(digest), length: bytes.byteLength, readMs: read - began,
      hashMs: performance.now() - read });
  } catch (error) {
    self.postMessage({ error: `${error.name}: ${error.message}` });
  }
};
