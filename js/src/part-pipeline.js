// Sends the parts storage lacks for one upload run: each part is hashed ahead of sending (worker pool), its URL
// signed in a batch, and PUT on one of the page's connections; every failure goes through the one retry policy.
// Holds no upload state of its own beyond this run: digests and URLs live in the maps it is given.

import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { sendPart } from './part-sender.js';
import { retrying } from './retry-policy.js';
import { measure } from './timing.js';
import { UrlSigner } from './url-signer.js';

/** A URL this close to its expiry is signed again before use. */
const URL_SAFETY_MS = 60_000;

export class PartPipeline {
  /**
   * @param api the FreightApi the upload belongs to
   * @param upload {file, plan (PartPlan), fileId, uploadToken, checksummed}
   * @param digests Map partNumber -> base64 SHA-256 (filled here; kept by the caller across runs)
   * @param hashing Map partNumber -> promised base64 SHA-256 of hashing begun before (taken from here once used)
   * @param urls Map partNumber -> signed URL answer (likewise)
   * @param scheduler the page-wide PartScheduler (connections and memory across uploads)
   * @param hashPool the page-wide HashPool
   * @param hooks {sending(n, progress), progress(), stored(n, etag, digest), done(n)}: a part went on the wire, its
   *   progress moved, storage holds it, it is off the wire (stored or not)
   */
  constructor({ api, upload, digests, hashing = new Map(), urls, scheduler, hashPool, hooks, signal }) {
    Object.assign(this, { api, upload, digests, hashing, urls, scheduler, hashPool, hooks, signal });
    this.signer = new UrlSigner(api, upload.fileId, upload.uploadToken, upload.checksummed, signal);
    this.preparing = new Map();
    this.queue = [];
    // Hashed and signed ahead of the senders: two rounds of connections, so a PUT never waits for a hash.
    this.lookahead = 2 * HOST_CONNECTION_LIMIT;
  }

  /** Resolves once every part in `partNumbers` is stored; rejects with the first part that cannot be. */
  async send(partNumbers) {
    this.queue = [...partNumbers];
    const senders = Array.from({ length: Math.min(HOST_CONNECTION_LIMIT, this.queue.length) }, () => this.sender());
    await Promise.all(senders);
  }

  async sender() {
    while (this.queue.length > 0 && !this.signal.aborted) {
      const partNumber = this.queue.shift();
      for (const next of this.queue.slice(0, this.lookahead)) this.prepare(next);
      await this.sendOne(partNumber);
    }
  }

  /** Hash (unless known) and sign (unless a fresh URL is known) part `n`, once; the promise is kept. */
  prepare(partNumber) {
    let prepared = this.preparing.get(partNumber);
    if (!prepared) {
      prepared = this.hashAndSign(partNumber);
      prepared.catch(() => {});
      this.preparing.set(partNumber, prepared);
    }
    return prepared;
  }

  async hashAndSign(partNumber) {
    let digest = this.digests.get(partNumber);
    if (!digest && this.hashing.has(partNumber)) {
      const begun = this.hashing.get(partNumber);
      this.hashing.delete(partNumber);
      digest = await begun.catch(() => null); // unreadable then: read and hashed again below, failing there
    }
    if (!digest) digest = await this.hashPool.hash(this.upload.plan.slice(this.upload.file, partNumber));
    this.digests.set(partNumber, digest);
    let signed = this.urls.get(partNumber);
    if (!signed || Date.parse(signed.expires_at) - Date.now() < URL_SAFETY_MS) {
      this.urls.delete(partNumber);
      signed = await this.signer.sign(partNumber, digest);
      this.urls.set(partNumber, signed);
    }
    return { digest, signed };
  }

  /** Drops what a remedy replaces, so the next prepare() signs again, or reads and hashes again too. */
  forget(partNumber, { digest = false } = {}) {
    this.preparing.delete(partNumber);
    this.urls.delete(partNumber);
    if (digest) this.digests.delete(partNumber);
  }

  /** Asks the service whether storage holds part `n` whole already; if so, it counts as stored. */
  async storageHolds(partNumber) {
    try {
      const status = await this.api.uploadStatus(this.upload.fileId);
      const held = status.uploaded_parts.find((part) => part.part_number === partNumber);
      if (held && held.size === this.upload.plan.length(partNumber) && !this.signal.aborted) {
        this.hooks.stored(partNumber, held.etag, held.checksum_sha256 ?? this.digests.get(partNumber) ?? null);
        return true;
      }
    } catch {
      // Not knowing means sending again: the checksum-bound URL keeps that safe.
    }
    return false;
  }

  async sendOne(partNumber) {
    const { plan, file } = this.upload;
    const progress = { phase: 'preparing', loaded: 0 };
    this.hooks.sending(partNumber, progress);
    const show = (phase) => {
      progress.phase = phase;
      this.hooks.progress();
    };
    try {
      await retrying(async (previous) => {
        // The answer to a PUT was lost but storage may have the part: never send it twice.
        if (previous?.kind === 'transient' && (await this.storageHolds(partNumber))) return;
        const waited = performance.now();
        const prepared = this.prepare(partNumber);
        this.signer.needed(partNumber);
        const { digest, signed } = await prepared;
        measure('wait-prepared', waited);
        const slotWait = performance.now();
        const release = await this.scheduler.acquire(plan.length(partNumber), this.signal);
        if (!release) return;
        measure('wait-connection', slotWait);
        try {
          show('sending');
          const began = performance.now();
          const etag = await sendPart(signed, plan.slice(file, partNumber), {
            signal: this.signal,
            onProgress: (loaded) => {
              progress.loaded = loaded;
              this.hooks.progress();
            },
          });
          measure('send', began);
          this.urls.delete(partNumber);
          this.hooks.stored(partNumber, etag, digest);
        } finally {
          release();
        }
      }, {
        signal: this.signal,
        onRemedy: (decision, error) => {
          progress.loaded = 0;
          if (decision.action === 'resign') this.forget(partNumber);
          else if (decision.action === 'rehash') this.forget(partNumber, { digest: true });
          show(decision.action === 'wait-online' ? 'waiting for the network' : `retrying (${error.message})`);
        },
      });
    } catch (error) {
      if (this.signal.aborted) return;
      error.message = `Part ${partNumber}: ${error.message}`;
      throw error;
    } finally {
      this.hooks.done(partNumber);
    }
  }
}
