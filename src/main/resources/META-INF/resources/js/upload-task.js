// One file's upload from start (or resume) to a verified object: the state machine and what it shows. The parts
// themselves go through PartPipeline (hash ahead, sign in batches, send); every failed call through retry-policy.

import * as api from './api.js';
import { ApiError } from './api.js';
import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { differenceFrom, identify } from './fingerprint.js';
import { sharedHashPool } from './hash-pool.js';
import { PartPipeline } from './part-pipeline.js';
import { PartPlan, partSizeFor } from './part-plan.js';
import { RateMeter } from './rate-meter.js';
import { removeRecord, saveRecord, savePartDigest } from './resume-store.js';
import { retrying } from './retry-policy.js';
import { verifyObject } from './verification.js';

export const ACTIVE_STATES = new Set(['hashing', 'starting', 'uploading', 'offline', 'completing', 'verifying']);

const SHA256 = 'SHA256';

export class UploadTask extends EventTarget {
  /**
   * @param scheduler the page-wide PartScheduler
   * @param record the stored facts of the upload (see resume-store.js); for a new file, built after init
   */
  constructor(scheduler, { record = null, file = null, handle = null, bytesStored = 0, hashPool = sharedHashPool() } = {}) {
    super();
    this.scheduler = scheduler;
    this.hashPool = hashPool;
    this.record = record;
    this.file = file;
    this.handle = handle ?? record?.handle ?? null;
    this.state = file ? 'hashing' : 'waiting-file';
    this.reason = '';
    this.notice = '';
    this.verification = null;
    /** Parts storage holds: n -> {etag, size, checksum}. */
    this.doneParts = new Map();
    /** Parts on a connection now: n -> {phase, loaded}. */
    this.inFlight = new Map();
    /** The page's own digests and unused signed URLs, kept across pauses. */
    this.digests = new Map(Object.entries(record?.partDigests ?? {}).map(([n, digest]) => [Number(n), digest]));
    this.urls = new Map();
    this.uploadToken = null;
    this.checksumAlgorithm = SHA256;
    this.bytesStoredHint = bytesStored;
    this.meter = new RateMeter();
    this.controller = null;
    this.running = null;
    this.freshlyStarted = false;
    this.completeRounds = 0;
  }

  get fileId() { return this.record?.fileId ?? null; }
  get name() { return this.record?.name ?? this.file?.name ?? ''; }
  get size() { return this.record?.size ?? this.file?.size ?? 0; }
  get partCount() { return this.record?.partCount ?? 0; }
  get plan() { return new PartPlan(this.size, this.record.partSize); }

  partLength(partNumber) { return this.plan.length(partNumber); }

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

  /** New file: fingerprint, hash the first parts, init (their URLs come back with it), remember, send. */
  async start(authorName, wishedPartSize) {
    try {
      this.setState('hashing');
      if (this.file.size === 0) throw new Error('Empty files cannot be uploaded');
      const plan = new PartPlan(this.file.size, partSizeFor(this.file.size, wishedPartSize));
      const first = plan.first(HOST_CONNECTION_LIMIT);
      const [identity, ...digests] = await Promise.all([identify(this.file),
        ...first.map((n) => this.hashPool.hash(plan.slice(this.file, n)))]);
      this.setState('starting');
      const started = await retrying(() => api.initUpload({
        filename: this.file.name,
        file_type: validMediaType(this.file.type),
        file_size: this.file.size,
        author_name: authorName,
        created_at: new Date().toISOString(),
        part_size: plan.partSize,
        // Every part URL is bound to the part's SHA-256, which storage keeps and checks (S3's SHA256 kind).
        checksum_algorithm: SHA256,
        parts: first.map((n, i) => ({ part_number: n, checksum_sha256: digests[i] })),
        metadata: { fingerprint: identity.fingerprint, last_modified: String(identity.lastModified) },
      }));
      // The service may cut the file otherwise than asked (its own bounds): then these digests are of other parts.
      if (started.part_size === plan.partSize) {
        first.forEach((n, i) => this.digests.set(n, digests[i]));
        for (const part of started.parts ?? []) this.urls.set(part.part_number, part);
      }
      this.uploadToken = started.upload_token ?? null;
      this.checksumAlgorithm = started.checksum_algorithm ?? null;
      this.record = {
        fileId: started.file_id, ...identity, type: validMediaType(this.file.type), partSize: started.part_size,
        partCount: started.part_count, authorName, startedAt: new Date().toISOString(), partDigests: {},
      };
      this.freshlyStarted = true;
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
      if (this.fileId) await retrying(() => api.abortUpload(this.fileId));
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
    // A just-started upload has nothing stored yet: its init answer told everything a status would.
    if (!this.freshlyStarted) {
      const status = await retrying(() => api.uploadStatus(this.fileId), { signal });
      if (signal.aborted) return;
      if (status.upload_status === 'uploaded') return this.verify(status);
      if (status.upload_status !== 'uploading') throw new Error(`The upload is ${status.upload_status} on the server`);
      this.learnStatus(status);
    }
    this.freshlyStarted = false;
    this.meter.record(this.bytesSent);
    this.dispatch();

    const missing = [];
    for (let n = 1; n <= this.partCount; n++) if (!this.doneParts.has(n)) missing.push(n);
    const pipeline = new PartPipeline({
      upload: { file: this.file, plan: this.plan, fileId: this.fileId, uploadToken: this.uploadToken,
        checksummed: this.checksumAlgorithm === SHA256 },
      digests: this.digests, urls: this.urls, scheduler: this.scheduler, hashPool: this.hashPool, signal,
      hooks: {
        sending: (n, progress) => { this.inFlight.set(n, progress); this.dispatch(); },
        progress: () => { this.meter.record(this.bytesSent); this.dispatch(); },
        stored: (n, etag, digest) => this.partStored(n, etag, digest),
        done: (n) => { this.inFlight.delete(n); this.dispatch(); },
        holds: (n) => this.storageHolds(n, signal),
      },
    });
    await pipeline.send(missing);
    if (signal.aborted) return;
    await this.complete(signal);
  }

  /** What the service's status says storage holds, and how to sign for the rest. */
  learnStatus(status) {
    this.doneParts.clear();
    for (const part of status.uploaded_parts) {
      this.doneParts.set(part.part_number, { etag: part.etag, size: part.size, checksum: part.checksum_sha256 ?? null });
    }
    this.uploadToken = status.upload_token ?? this.uploadToken;
    this.checksumAlgorithm = status.checksum_algorithm ?? null;
  }

  partStored(partNumber, etag, digest) {
    this.doneParts.set(partNumber, { etag, size: this.partLength(partNumber), checksum: digest });
    this.record.partDigests = { ...this.record.partDigests, [partNumber]: digest };
    savePartDigest(this.fileId, partNumber, digest).catch(() => {});
    this.meter.record(this.bytesSent);
  }

  async storageHolds(partNumber, signal) {
    try {
      const status = await api.uploadStatus(this.fileId);
      const held = status.uploaded_parts.find((part) => part.part_number === partNumber);
      if (held && held.size === this.partLength(partNumber) && !signal.aborted) {
        this.doneParts.set(partNumber, { etag: held.etag, size: held.size, checksum: held.checksum_sha256 ?? null });
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
    for (let n = 1; n <= this.partCount; n++) {
      const part = this.doneParts.get(n);
      const checksum = this.record.partDigests?.[n] ?? part.checksum;
      parts.push({ part_number: n, etag: part.etag, ...(checksum && this.checksumAlgorithm === SHA256 ? { checksum_sha256: checksum } : {}) });
    }
    let result;
    try {
      result = await retrying(() => api.completeUpload(this.fileId, parts), { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.problem?.parts && this.completeRounds < 2) {
        // Storage lacks or disowns some parts: send them again.
        this.completeRounds += 1;
        return this.sendAndComplete(signal);
      }
      throw error;
    }
    await this.verify(result);
  }

  /** Compares storage's ETag and composite checksum of the object with the ones computed here. */
  async verify(result) {
    this.setState('verifying');
    const etags = [];
    for (let n = 1; n <= this.partCount; n++) etags.push(this.doneParts.get(n)?.etag);
    const checks = await verifyObject(result, etags, this.partCount, (n) => this.ownDigest(n));
    this.verification = { etag: result.etag, checksum: result.object_checksum_sha256 ?? null, checks };
    await removeRecord(this.fileId).catch(() => {});
    this.inFlight.clear();
    this.setState('done');
  }

  /** The page's own digest of part n; parts sent before a restart without a stored digest are hashed now. */
  async ownDigest(partNumber) {
    let digest = this.record.partDigests?.[partNumber];
    if (!digest) {
      if (!this.file) throw new Error('Choose the file again to verify it');
      digest = await this.hashPool.hash(this.plan.slice(this.file, partNumber));
    }
    return digest;
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
