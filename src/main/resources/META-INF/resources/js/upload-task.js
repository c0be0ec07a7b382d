// One file's upload from start (or resume) to a verified object: parts hashed, sent with checksum-bound URLs,
// retried, completed and checked. Emits 'change' whenever something worth showing changed.

import * as api from './api.js';
import { ApiError } from './api.js';
import { backoffDelay, sleep, waitUntilOnline } from './backoff.js';
import { differenceFrom, identify } from './fingerprint.js';
import { compositeChecksum, sha256Base64 } from './hashing.js';
import { multipartEtag } from './md5.js';
import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { PartSendError, sendPart } from './part-sender.js';
import { RateMeter } from './rate-meter.js';
import { removeRecord, saveRecord, savePartDigest } from './resume-store.js';

const MAX_PART_ATTEMPTS = 8;
const MAX_API_ATTEMPTS = 6;
const URL_SAFETY_MS = 60_000;
const RETRY_BASE_MS = 500;

export const ACTIVE_STATES = new Set(['hashing', 'starting', 'uploading', 'offline', 'completing', 'verifying']);

export class UploadTask extends EventTarget {
  /**
   * @param record the stored facts of the upload (see resume-store.js); for a new file, built after init
   * @param scheduler the page-wide PartScheduler
   */
  constructor(scheduler, { record = null, file = null, handle = null, bytesStored = 0 } = {}) {
    super();
    this.scheduler = scheduler;
    this.record = record;
    this.file = file;
    this.handle = handle ?? record?.handle ?? null;
    this.state = file ? 'hashing' : 'waiting-file';
    this.reason = '';
    this.notice = '';
    this.verification = null;
    this.doneParts = new Map();
    this.inFlight = new Map();
    this.bytesStoredHint = bytesStored;
    this.meter = new RateMeter();
    this.controller = null;
    this.running = null;
    this.completeRounds = 0;
  }

  get fileId() { return this.record?.fileId ?? null; }
  get name() { return this.record?.name ?? this.file?.name ?? ''; }
  get size() { return this.record?.size ?? this.file?.size ?? 0; }
  get partCount() { return this.record?.partCount ?? 0; }

  /** Bytes storage holds plus bytes of parts on the wire now. */
  get bytesSent() {
    if (this.state === 'done') return this.size;
    if (this.doneParts.size === 0 && this.inFlight.size === 0) return this.bytesStoredHint;
    let sent = 0;
    for (const part of this.doneParts.values()) sent += part.size;
    for (const part of this.inFlight.values()) sent += part.loaded;
    return Math.min(sent, this.size);
  }

  get speed() { return this.state === 'uploading' ? this.meter.rate() : 0; }

  /** New file: fingerprint, init, remember, send. */
  async start(authorName, wishedPartSize) {
    try {
      this.setState('hashing');
      if (this.file.size === 0) throw new Error('Empty files cannot be uploaded');
      const identity = await identify(this.file);
      this.setState('starting');
      const started = await this.withApiRetry(() => api.initUpload({
        filename: this.file.name,
        file_type: validMediaType(this.file.type),
        file_size: this.file.size,
        // Every part URL is bound to the part's SHA-256, which storage keeps and checks (S3's SHA256 kind).
        checksum_algorithm: 'SHA256',
        author_name: authorName,
        created_at: new Date().toISOString(),
        ...(wishedPartSize ? { part_size: wishedPartSize } : {}),
        metadata: { fingerprint: identity.fingerprint, last_modified: String(identity.lastModified) },
      }), new AbortController().signal);
      this.record = {
        fileId: started.file_id, ...identity, type: validMediaType(this.file.type), partSize: started.part_size,
        partCount: started.part_count, authorName, startedAt: new Date().toISOString(), partDigests: {},
      };
      await saveRecord(this.handle ? { ...this.record, handle: this.handle } : this.record)
        .catch(() => saveRecord(this.record));
      this.dispatch();
      await this.run();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Resume with a file the user picked (or a stored handle gave): refused unless it is the same file. */
  async attachFile(file, handle = null) {
    const difference = await differenceFrom(this.record, file);
    if (difference) {
      throw new Error(`That is not the file this upload started with: ${difference}. ` +
        `Choose “${this.record.name}” (${this.record.size} bytes) again.`);
    }
    this.file = file;
    if (handle) this.handle = handle;
    this.notice = '';
    await saveRecord({ ...this.record, ...(this.handle ? { handle: this.handle } : {}) })
      .catch(() => saveRecord(this.record));
    this.resume();
  }

  pause() {
    if (!['uploading', 'offline', 'hashing', 'starting'].includes(this.state) || !this.controller) return;
    this.controller.abort();
    this.setState('paused');
  }

  resume() {
    if (!this.file || !['paused', 'failed', 'waiting-file'].includes(this.state)) return;
    this.reason = '';
    this.run().catch((error) => this.fail(error));
  }

  async cancel() {
    this.controller?.abort();
    this.setState('cancelling');
    try {
      if (this.fileId) await this.withApiRetry(() => api.abortUpload(this.fileId), new AbortController().signal);
    } catch (error) {
      if (!(error instanceof ApiError && (error.status === 404 || error.status === 409))) {
        this.reason = `Could not cancel on the server: ${error.message}`;
        this.setState('failed');
        return;
      }
    }
    if (this.fileId) await removeRecord(this.fileId).catch(() => {});
    this.inFlight.clear();
    this.setState('cancelled');
  }

  /** Sends what storage lacks, then completes. Safe to call again after a pause. */
  async run() {
    if (this.running) {
      this.controller?.abort();
      await this.running.catch(() => {});
    }
    const controller = new AbortController();
    this.controller = controller;
    this.running = this.inThisTabOnly(() => this.sendAndComplete(controller.signal));
    try {
      await this.running;
    } catch (error) {
      this.fail(error);
    } finally {
      if (this.controller === controller) this.running = null;
    }
  }

  /** Runs `work` holding a Web Lock on the upload, so two tabs never send the same upload at once. */
  inThisTabOnly(work) {
    if (!navigator.locks) return work();
    return navigator.locks.request(`freight-upload-${this.fileId}`, { ifAvailable: true }, (lock) => {
      if (!lock) throw new Error('This upload is being sent from another tab or window');
      return work();
    });
  }

  async sendAndComplete(signal) {
    this.setState('uploading');
    this.meter.reset();
    const status = await this.withApiRetry(() => api.uploadStatus(this.fileId), signal);
    if (signal.aborted) return;
    if (status.upload_status === 'uploaded') return this.verify(status, signal);
    if (status.upload_status !== 'uploading') throw new Error(`The upload is ${status.upload_status} on the server`);
    this.doneParts.clear();
    for (const part of status.uploaded_parts) this.doneParts.set(part.part_number, { etag: part.etag, size: part.size });
    this.meter.record(this.bytesSent);
    this.dispatch();

    const queue = [];
    for (let n = 1; n <= this.partCount; n++) if (!this.doneParts.has(n)) queue.push(n);
    const pump = async () => {
      while (queue.length > 0 && !signal.aborted) {
        const partNumber = queue.shift();
        const release = await this.scheduler.acquire(this.partLength(partNumber), signal);
        if (!release) return;
        try {
          await this.sendPartWithRetries(partNumber, signal);
        } finally {
          release();
        }
      }
    };
    const pumps = Array.from({ length: Math.min(HOST_CONNECTION_LIMIT, queue.length) }, pump);
    await Promise.all(pumps);
    if (signal.aborted) return;
    await this.complete(signal);
  }

  partLength(partNumber) {
    const start = (partNumber - 1) * this.record.partSize;
    return Math.min(this.size, start + this.record.partSize) - start;
  }

  partSlice(partNumber) {
    const start = (partNumber - 1) * this.record.partSize;
    return this.file.slice(start, start + this.partLength(partNumber));
  }

  async readPart(partNumber) {
    const bytes = await this.partSlice(partNumber).arrayBuffer();
    if (bytes.byteLength !== this.partLength(partNumber)) throw new Error('The file changed on disk while uploading');
    return bytes;
  }

  /**
   * Reads and hashes one part right before it is sent, signs a URL bound to that digest, and sends it. The PUT
   * body is the file slice, which the browser streams from disk (an ArrayBuffer body crawls through the
   * renderer); should the file change in between, storage refuses the bytes and the part is read again.
   */
  async sendPartWithRetries(partNumber, signal) {
    let digest = null;
    let signed = null;
    let attempt = 0;
    const progress = { phase: 'reading', loaded: 0 };
    this.inFlight.set(partNumber, progress);
    const show = (phase) => { progress.phase = phase; this.dispatch(); };
    try {
      while (!signal.aborted) {
        try {
          if (!digest) {
            show('reading');
            const bytes = await this.readPart(partNumber);
            show('hashing');
            digest = await sha256Base64(bytes);
          }
          if (!signed || Date.parse(signed.expires_at) - Date.now() < URL_SAFETY_MS) {
            show('signing');
            const answer = await this.withApiRetry(
              () => api.refreshUrls(this.fileId, [{ part_number: partNumber, checksum_sha256: digest }]), signal);
            signed = answer.parts.find((part) => part.part_number === partNumber);
          }
          show('sending');
          const etag = await sendPart(signed, this.partSlice(partNumber), {
            signal,
            onProgress: (loaded) => {
              progress.loaded = loaded;
              this.meter.record(this.bytesSent);
              this.dispatch();
            },
          });
          this.partStored(partNumber, etag, digest);
          return;
        } catch (error) {
          progress.loaded = 0;
          if (signal.aborted) return;
          if (error instanceof ApiError && !error.transient) throw error;
          if (error instanceof PartSendError && error.kind === 'expired') {
            signed = null;
          } else if (error instanceof PartSendError && error.kind === 'corrupt') {
            // Storage saw other bytes than those hashed: read the part again.
            digest = null;
            signed = null;
          } else if (!navigator.onLine) {
            show('waiting for the network');
            await waitUntilOnline(signal);
            continue;
          } else if (!(error instanceof PartSendError) && !(error instanceof ApiError)) {
            throw error;
          }
          attempt += 1;
          if (attempt >= MAX_PART_ATTEMPTS) throw new Error(`Part ${partNumber} failed ${attempt} times: ${error.message}`);
          show(`retrying (${error.message})`);
          await sleep(backoffDelay(attempt - 1, RETRY_BASE_MS), signal);
          if (error instanceof PartSendError && error.kind === 'transient' && (await this.storageHolds(partNumber, signal))) {
            // The answer was lost but storage has the part: never send it twice.
            return;
          }
        }
      }
    } finally {
      this.inFlight.delete(partNumber);
      this.dispatch();
    }
  }

  partStored(partNumber, etag, digest) {
    this.doneParts.set(partNumber, { etag, size: this.partLength(partNumber) });
    this.record.partDigests = { ...this.record.partDigests, [partNumber]: digest };
    savePartDigest(this.fileId, partNumber, digest).catch(() => {});
    this.meter.record(this.bytesSent);
  }

  async storageHolds(partNumber, signal) {
    try {
      const status = await api.uploadStatus(this.fileId);
      const held = status.uploaded_parts.find((part) => part.part_number === partNumber);
      if (held && held.size === this.partLength(partNumber) && !signal.aborted) {
        this.doneParts.set(partNumber, { etag: held.etag, size: held.size });
        return true;
      }
    } catch {
      // Not knowing means sending again: the checksum-bound URL keeps that safe.
    }
    return false;
  }

  async complete(signal) {
    this.setState('completing');
    const parts = [];
    for (let n = 1; n <= this.partCount; n++) parts.push({ part_number: n, etag: this.doneParts.get(n).etag });
    let result;
    try {
      result = await this.withApiRetry(() => api.completeUpload(this.fileId, parts), signal);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.problem?.parts && this.completeRounds < 2) {
        // Storage lacks or disowns some parts: send them again.
        this.completeRounds += 1;
        return this.sendAndComplete(signal);
      }
      throw error;
    }
    await this.verify(result, signal);
  }

  /** Compares storage's ETag and checksum of the object with the ones computed here. */
  async verify(result, signal) {
    this.setState('verifying');
    const etags = [];
    for (let n = 1; n <= this.partCount; n++) etags.push(this.doneParts.get(n)?.etag);
    const checks = [];
    if (etags.every(Boolean)) {
      const ownEtag = multipartEtag(etags);
      if (ownEtag !== unquote(result.etag)) throw new Error(`Integrity check failed: storage's ETag ${result.etag} is not ${ownEtag}`);
      checks.push(`ETag ${ownEtag} matches`);
    }
    if (result.object_checksum_sha256) {
      const ownChecksum = await this.ownChecksum(signal);
      if (ownChecksum !== result.object_checksum_sha256) {
        throw new Error(`Integrity check failed: storage's SHA-256 ${result.object_checksum_sha256} is not ${ownChecksum}`);
      }
      checks.push(`SHA-256 ${ownChecksum} matches`);
    } else {
      checks.push('storage checked each part against its SHA-256 on arrival');
    }
    this.verification = { etag: result.etag, checksum: result.object_checksum_sha256 ?? null, checks };
    await removeRecord(this.fileId).catch(() => {});
    this.inFlight.clear();
    this.setState('done');
  }

  /** Composite SHA-256 from the part digests; parts sent before a restart without a stored digest are hashed now. */
  async ownChecksum(signal) {
    const digests = [];
    for (let n = 1; n <= this.partCount; n++) {
      let digest = this.record.partDigests?.[n];
      if (!digest) {
        if (signal.aborted) throw new Error('Stopped');
        digest = await sha256Base64(await this.readPart(n));
      }
      digests.push(digest);
    }
    return compositeChecksum(digests);
  }

  /** API calls retried on transient failures (503 honours Retry-After); waits while offline. */
  async withApiRetry(call, signal) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof ApiError) || !error.transient || attempt + 1 >= MAX_API_ATTEMPTS || signal?.aborted) throw error;
        if (!navigator.onLine) await waitUntilOnline(signal);
        else await sleep(error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : backoffDelay(attempt, RETRY_BASE_MS), signal);
        if (signal?.aborted) throw error;
      }
    }
  }

  /** Browser went offline or came back: parts wait on their own, this only tells the user. */
  networkChanged(online) {
    if (!online && this.state === 'uploading') this.setState('offline');
    else if (online && this.state === 'offline') this.setState('uploading');
  }

  fail(error) {
    // Stopping on purpose aborts requests; their errors are not failures.
    if (['cancelled', 'cancelling', 'paused'].includes(this.state)) return;
    this.controller?.abort();
    this.inFlight.clear();
    this.reason = error?.message || String(error);
    this.setState('failed');
  }

  setState(state) {
    this.state = state;
    this.dispatch();
  }

  dispatch() {
    this.dispatchEvent(new Event('change'));
  }
}

function validMediaType(type) {
  return /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/.test(type)
    ? type : 'application/octet-stream';
}

const unquote = (etag) => (etag ?? '').replaceAll('"', '');
