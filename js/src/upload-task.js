// One file's upload from start (or resume) to a verified object: the state machine, told to the page through
// methods and events. The parts go through PartPipeline, every failed call through retry-policy.js, the states and
// what each allows are upload-states.js's table, the check of the object is verification.js's.
//
// Events: 'change' (anything shown changed), 'progress' (detail: progressNow()), 'statechange' (detail: the new
// state).

import { ApiError } from './api.js';
import { sleep } from './backoff.js';
import { fileFromHandle } from './file-handles.js';
import { differenceFrom } from './fingerprint.js';
import { sharedHashPool } from './hash-pool.js';
import { PartPipeline } from './part-pipeline.js';
import { PartPlan } from './part-plan.js';
import { removeRecord, saveRecord, savePartDigest } from './resume-store.js';
import { retrying } from './retry-policy.js';
import { UploadProgress } from './upload-progress.js';
import { prepareInit, SHA256, started } from './upload-start.js';
import { describe } from './upload-states.js';
import { verifyObject } from './verification.js';

/** How often a `completing` upload is polled (the service answers Retry-After: 2). */
const COMPLETING_POLL_MS = 2000;

export class UploadTask extends EventTarget {
  /**
   * @param api the FreightApi of the service the upload goes to
   * @param scheduler the page-wide PartScheduler
   * @param record the stored facts of the upload (see resume-store.js); for a new file, built after init
   * @param status the service's status answer for a known upload: what storage holds already
   */
  constructor({ api, scheduler, record = null, file = null, handle = null, status = null,
    hashPool = sharedHashPool() }) {
    super();
    this.api = api;
    this.scheduler = scheduler;
    this.hashPool = hashPool;
    this.record = record;
    this.file = file;
    this.handle = handle ?? record?.handle ?? null;
    this.state = file ? 'hashing' : 'waiting-file';
    this.reason = '';
    this.notice = '';
    this.verification = null;
    this.progress = new UploadProgress(status?.bytes_uploaded ?? 0);
    /** The page's own digests and unused signed URLs, kept across pauses. */
    this.digests = new Map(Object.entries(record?.partDigests ?? {}).map(([n, digest]) => [Number(n), digest]));
    /** Digests still being worked out, begun before init answered: part number -> promise. */
    this.hashing = new Map();
    this.urls = new Map();
    this.uploadToken = null;
    this.checksumAlgorithm = SHA256;
    /** One per file, sent with every try of init, so a lost answer never starts a second upload. */
    this.idempotencyKey = record?.idempotencyKey ?? crypto.randomUUID();
    /** The init request, made once: a retry must send the same body with the same key. */
    this.initRequest = null;
    this.startedWith = null;
    this.controller = null;
    this.running = null;
    this.freshlyStarted = false;
    if (status) this.learnStatus(status);
  }

  get fileId() { return this.record?.fileId ?? null; }
  get name() { return this.record?.name ?? this.file?.name ?? ''; }
  get size() { return this.record?.size ?? this.file?.size ?? 0; }
  get partCount() { return this.record?.partCount ?? 0; }
  get plan() { return new PartPlan(this.size, this.record.partSize); }
  get hasFile() { return Boolean(this.file); }
  get storedPartCount() { return this.progress.stored.size; }

  partLength(partNumber) { return this.plan.length(partNumber); }

  /** Parts on the wire now as [partNumber, {phase, loaded}], by part number. */
  partsOnTheWire() { return this.progress.onTheWire(); }

  /**
   * Where the upload is now (the 'progress' event's detail): bytes sent of the total, the rate (bytes/s over the last
   * seconds), the time left at that rate (null while unknown), parts stored, and the parts on the wire with their
   * phase and bytes sent.
   */
  get progressNow() {
    const bytesSent = this.bytesSent;
    const rate = this.speed;
    return {
      state: this.state, bytesSent, bytesTotal: this.size, rate,
      etaSeconds: rate > 0 ? (this.size - bytesSent) / rate : null,
      partsStored: this.storedPartCount, partCount: this.partCount,
      partsOnTheWire: this.partsOnTheWire().map(([partNumber, { phase, loaded }]) => ({ partNumber, phase, loaded })),
    };
  }

  /** What a done upload ended with: its id, storage's ETag and SHA-256 and the checks passed here; else null. */
  get outcome() {
    if (this.state !== 'done') return null;
    return { fileId: this.fileId, name: this.name, size: this.size, ...this.verification };
  }

  /**
   * Resolves with the outcome once the upload is done; rejects once it fails or is cancelled (a failed upload can be
   * resumed: ask again for the next try).
   */
  result() {
    return new Promise((resolve, reject) => {
      const settle = () => {
        if (this.state === 'done') resolve(this.outcome);
        else if (this.state === 'failed' || this.state === 'cancelled') reject(new Error(this.reason || `The upload is ${this.state}`));
        else return;
        this.removeEventListener('statechange', settle);
      };
      this.addEventListener('statechange', settle);
      settle();
    });
  }

  /** Bytes storage holds plus bytes of parts on the wire now. */
  get bytesSent() { return this.state === 'done' ? this.size : this.progress.bytesSent(this.size); }

  get speed() { return this.state === 'uploading' ? this.progress.speed() : 0; }

  /**
   * New file: fingerprint, hash the first parts, init (their URLs come back with it), remember, send. `metadata`: the
   * app's own string map kept with the upload (the resume fingerprint is added to it).
   */
  async start(authorName, wishedPartSize, { metadata = {} } = {}) {
    this.startedWith = { authorName, wishedPartSize, metadata };
    try {
      this.setState('hashing');
      this.initRequest ??= await prepareInit(this.file, { authorName, wishedPartSize, metadata, hashPool: this.hashPool });
      this.setState('starting');
      const answer = await retrying(() => this.api.initUpload(this.initRequest.body, this.idempotencyKey), { api: this.api });
      const { digests, ahead, urls, record } = started(this.initRequest, answer, this.idempotencyKey);
      for (const [n, digest] of digests) this.digests.set(n, digest);
      for (const [n, pending] of ahead) this.hashing.set(n, pending);
      for (const [n, url] of urls) this.urls.set(n, url);
      this.uploadToken = answer.upload_token ?? null;
      this.checksumAlgorithm = answer.checksum_algorithm ?? null;
      // The service it went to: an uploader restores only its own endpoint's uploads.
      this.record = { ...record, endpoint: this.api.endpoint };
      this.freshlyStarted = true;
      // A handle IndexedDB cannot keep is left out; a browser without IndexedDB uploads without local resume state.
      await saveRecord(this.handle ? { ...this.record, handle: this.handle } : this.record)
        .catch(() => saveRecord(this.record)).catch(() => {});
      this.changed();
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
      .catch(() => saveRecord(this.record)).catch(() => {});
    this.resume();
  }

  /**
   * Resume after a restart without asking for the file, where the browser kept a handle to it (File System Access
   * API) and lets this page read it (`ask`: may ask the user, which needs a click or key press). Resolves whether it
   * could; the file is still checked against the upload's fingerprint (attachFile).
   */
  async reopen({ ask = false } = {}) {
    const file = await fileFromHandle(this.handle, { ask });
    if (!file) return false;
    await this.attachFile(file, this.handle);
    return true;
  }

  /** A message for the user about this upload (e.g. a file refused for a resume); shown until the next resume. */
  showNotice(message) {
    this.notice = message;
    this.changed();
  }

  pause() {
    if (!describe(this.state).pausable || !this.controller) return;
    this.controller.abort();
    this.setState('paused');
  }

  resume() {
    if (!this.file || !describe(this.state).resumable) return;
    this.reason = '';
    // Init never answered: try it again, with the same key and body.
    if (!this.record) {
      this.start(this.startedWith.authorName, this.startedWith.wishedPartSize, this.startedWith);
      return;
    }
    this.run().catch((error) => this.fail(error));
  }

  async cancel() {
    this.controller?.abort();
    this.setState('cancelling');
    try {
      if (this.fileId) await retrying(() => this.api.abortUpload(this.fileId), { api: this.api });
    } catch (error) {
      if (!(error instanceof ApiError && (error.status === 404 || error.status === 409))) {
        this.reason = `Could not cancel on the server: ${error.message}`;
        this.setState('failed');
        return;
      }
    }
    if (this.fileId) await removeRecord(this.fileId).catch(() => {});
    this.progress.stopSending();
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
    const locks = globalThis.navigator?.locks;
    if (!locks) return work();
    return locks.request(`freight-upload-${this.fileId}`, { ifAvailable: true }, (lock) => {
      if (!lock) throw new Error('This upload is being sent from another tab or window');
      return work();
    });
  }

  async sendAndComplete(signal) {
    this.setState('uploading');
    this.progress.restartMeter();
    // A just-started upload has nothing stored yet: its init answer told everything a status would.
    if (!this.freshlyStarted) {
      const status = await retrying(() => this.api.uploadStatus(this.fileId), { signal, api: this.api });
      if (signal.aborted) return;
      if (status.upload_status === 'completing') this.setState('completing');
      if (['uploaded', 'completing'].includes(status.upload_status)) {
        const assembled = await this.untilAssembled(status, signal);
        if (!signal.aborted) await this.verify(assembled);
        return;
      }
      if (status.upload_status !== 'uploading') throw new Error(`The upload is ${status.upload_status} on the server`);
      this.learnStatus(status);
    }
    this.freshlyStarted = false;
    await this.sendMissing(signal);
    if (signal.aborted) return;
    this.setState('completing');
    // Complete names parts storage lacks or disowns (409 with parts): the policy says send them again, then complete.
    const result = await retrying(async (previous, decision) => {
      if (decision?.action === 'resend-parts') {
        this.setState('uploading');
        await this.sendMissing(signal);
        this.setState('completing');
      }
      const checksummed = this.checksumAlgorithm === SHA256;
      return this.api.completeUpload(this.fileId, this.progress.completeParts(this.partCount, this.record.partDigests, checksummed));
    }, {
      signal,
      api: this.api,
      onRemedy: async (decision) => {
        if (decision.action !== 'resend-parts') return;
        this.learnStatus(await retrying(() => this.api.uploadStatus(this.fileId), { signal, api: this.api }));
      },
    });
    const assembled = await this.untilAssembled(result, signal);
    if (!signal.aborted) await this.verify(assembled);
  }

  /**
   * A complete answered 202 `completing` (storage still assembles a big upload): polls the status, never sends
   * complete again, until the upload is no longer completing. Resolves with the uploaded status.
   */
  async untilAssembled(answer, signal) {
    let current = answer;
    while (current.upload_status === 'completing' && !signal.aborted) {
      await sleep(COMPLETING_POLL_MS, signal);
      current = await retrying(() => this.api.uploadStatus(this.fileId), { signal, api: this.api });
    }
    if (signal.aborted || current.upload_status === 'uploaded' || current.upload_status === undefined) return current;
    throw new Error(current.upload_status === 'uploading'
      ? 'Storage could not assemble the file: resume to try again' : `The upload is ${current.upload_status} on the server`);
  }

  /** Sends every part storage does not hold (by what this page knows) through one pipeline run. */
  async sendMissing(signal) {
    this.progress.measure(this.size);
    this.changed();
    const pipeline = new PartPipeline({
      api: this.api,
      upload: { file: this.file, plan: this.plan, fileId: this.fileId, uploadToken: this.uploadToken,
        checksummed: this.checksumAlgorithm === SHA256 },
      digests: this.digests, hashing: this.hashing, urls: this.urls, scheduler: this.scheduler, hashPool: this.hashPool,
      signal,
      hooks: {
        sending: (n, progress) => { this.progress.sending(n, progress); this.changed(); },
        progress: () => { this.progress.measure(this.size); this.changed(); },
        stored: (n, etag, digest) => this.partStored(n, etag, digest),
        done: (n) => { this.progress.settled(n); this.changed(); },
      },
    });
    await pipeline.send(this.progress.missing(this.partCount));
  }

  /** What the service's status says storage holds, and how to sign for the rest. */
  learnStatus(status) {
    this.progress.learn(status.uploaded_parts ?? []);
    this.uploadToken = status.upload_token ?? this.uploadToken;
    this.checksumAlgorithm = status.checksum_algorithm ?? null;
  }

  partStored(partNumber, etag, digest) {
    this.progress.partStored(partNumber, etag, this.partLength(partNumber), digest);
    if (digest) {
      this.record.partDigests = { ...this.record.partDigests, [partNumber]: digest };
      savePartDigest(this.fileId, partNumber, digest).catch(() => {});
    }
    this.progress.measure(this.size);
  }

  /** Compares storage's ETag and composite checksum of the object with the ones computed here. */
  async verify(result) {
    this.setState('verifying');
    const checks = await verifyObject(result, this.progress.etags(this.partCount), this.partCount,
      (n) => this.ownDigest(n));
    this.verification = { etag: result.etag, checksum: result.object_checksum_sha256 ?? null, checks };
    await removeRecord(this.fileId).catch(() => {});
    this.progress.stopSending();
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

  /** Figures that change with time alone (speed, time left): tells the listeners to draw them again. */
  tick() {
    if (this.state === 'uploading') this.changed();
  }

  fail(error) {
    // Stopping on purpose aborts requests; their errors are not failures.
    if (describe(this.state).stopped) return;
    this.controller?.abort();
    this.progress.stopSending();
    this.reason = error?.message || String(error);
    this.setState('failed');
  }

  setState(state) {
    describe(state);
    const before = this.state;
    this.state = state;
    this.changed();
    if (before !== state) this.dispatchEvent(new CustomEvent('statechange', { detail: state }));
  }

  changed() {
    this.dispatchEvent(new Event('change'));
    this.dispatchEvent(new UploadProgressEvent(this));
  }
}

/** 'progress': its detail (progressNow) is worked out only when a listener reads it, as progress comes often. */
class UploadProgressEvent extends Event {
  constructor(task) {
    super('progress');
    this.task = task;
  }

  get detail() {
    return this.task.progressNow;
  }
}
