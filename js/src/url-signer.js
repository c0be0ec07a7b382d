// Signs part URLs bound to their SHA-256 in batches: hashed parts wait until a few are ready (or a sender needs
// one now), then one refresh_urls call signs them all, so the service sees a call per batch, not per part.

import { retrying } from './retry-policy.js';
import { measure } from './timing.js';

/** Parts per refresh_urls call once enough are hashed ahead; the service answers up to 100 at once. */
const BATCH = 8;
const MAX_BATCH = 100;

export class UrlSigner {
  /**
   * @param api the FreightApi the upload belongs to
   * @param checksummed whether the upload binds URLs to checksums (SHA256); plain uploads list parts only
   */
  constructor(api, fileId, uploadToken, checksummed, signal) {
    this.api = api;
    this.fileId = fileId;
    this.uploadToken = uploadToken;
    this.checksummed = checksummed;
    this.signal = signal;
    this.pending = new Map();
    this.wanted = new Set();
    this.calling = false;
  }

  /** Resolves with the signed URL answer ({part_number, size, url, expires_at, headers}) for part `n`. */
  sign(partNumber, digest) {
    return new Promise((resolve, reject) => {
      this.pending.set(partNumber, { digest, resolve, reject });
      if (this.pending.size >= BATCH || this.wanted.has(partNumber)) this.flush();
    });
  }

  /** A sender waits for part `n`: once it is hashed, sign what is pending then rather than wait for a full batch. */
  needed(partNumber) {
    this.wanted.add(partNumber);
    if (this.pending.has(partNumber)) this.flush();
  }

  get urgent() {
    for (const n of this.wanted) if (this.pending.has(n)) return true;
    return false;
  }

  async flush() {
    if (this.calling || this.pending.size === 0) return;
    this.calling = true;
    const batch = [...this.pending].sort((a, b) => a[0] - b[0]).slice(0, MAX_BATCH);
    for (const [n] of batch) {
      this.pending.delete(n);
      this.wanted.delete(n);
    }
    const began = performance.now();
    try {
      const parts = batch.map(([n, { digest }]) => (this.checksummed ? { part_number: n, checksum_sha256: digest } : { part_number: n }));
      const answer = await retrying(() => this.api.refreshUrls(this.fileId, parts, this.uploadToken),
        { signal: this.signal, api: this.api });
      measure('sign', began);
      const signed = new Map(answer.parts.map((part) => [part.part_number, part]));
      for (const [n, waiter] of batch) {
        if (signed.has(n)) waiter.resolve(signed.get(n));
        else waiter.reject(new Error(`The service signed no URL for part ${n}`));
      }
    } catch (error) {
      for (const [, waiter] of batch) waiter.reject(error);
    } finally {
      this.calling = false;
      // Parts that became ready meanwhile: a full batch goes at once, a partial one when a sender needs it.
      if (this.pending.size >= BATCH || this.urgent) this.flush();
    }
  }
}
