// The package's front door: an uploader for one Freight service and a token provider. It adds files (each an
// UploadTask with its events, pause, resume and cancel), finds unfinished uploads again after a browser restart
// (IndexedDB, then the service's listing) and downloads files verified by parts.
//
// Events: 'upload' (detail: an UploadTask the uploader added or restored).

import { FreightApi } from './api.js';
import { downloadVerified } from './download.js';
import { sharedHashPool } from './hash-pool.js';
import { PartScheduler } from './part-scheduler.js';
import { allRecords, removeRecord } from './resume-store.js';
import { describe } from './upload-states.js';
import { UploadTask } from './upload-task.js';

/** Statuses an unfinished upload can be resumed from (completing: storage is still assembling it). */
const RESUMABLE = ['uploading', 'completing'];
/** How many of the service's unfinished uploads findUnfinished lists at most (the owner's quota bounds them). */
const LISTED_AT_MOST = 1000;

let scheduler;
/** One scheduler for every uploader of the page: the browser's connections and the memory are the page's. */
const sharedScheduler = () => (scheduler ??= new PartScheduler());

export function createUploader(options) {
  return new Uploader(options);
}

export class Uploader extends EventTarget {
  /**
   * @param endpoint the service's origin (and path prefix), '' for the page's own origin
   * @param token fn({refused}) -> the bearer token (or null when authentication is off); asked before every call and,
   *   with `refused` set, after the service refused a token
   * @param authorization instead of `token`: fn({refused}) -> the whole Authorization header value
   * @param authorName, partSize the defaults for add()
   */
  constructor({ endpoint = '', token = null, authorization = null, authorName = null, partSize = null,
    scheduler = sharedScheduler(), hashPool = sharedHashPool() } = {}) {
    super();
    this.api = new FreightApi({ endpoint, authorization: authorization ?? bearer(token) });
    this.defaults = { authorName, partSize };
    this.scheduler = scheduler;
    this.hashPool = hashPool;
    this.uploads = [];
    this.ticker = null;
    this.onNetwork = () => {
      for (const task of this.uploads) task.networkChanged(globalThis.navigator?.onLine ?? true);
    };
    globalThis.addEventListener?.('online', this.onNetwork);
    globalThis.addEventListener?.('offline', this.onNetwork);
  }

  /**
   * Starts uploading `file`; resolves nothing, answers the UploadTask at once. `handle`: the file's
   * FileSystemFileHandle where the browser gave one, kept so a resume after a restart can read the file again.
   * `metadata`: a string map kept with the upload.
   */
  add(file, { handle = null, authorName = this.defaults.authorName, partSize = this.defaults.partSize,
    metadata = {} } = {}) {
    const task = this.track(new UploadTask({ ...this.engine(), file, handle }));
    task.start(authorName, partSize, { metadata });
    return task;
  }

  /**
   * The unfinished uploads this browser started with this endpoint (IndexedDB): each comes back 'waiting-file' with
   * what storage holds, to resume once its file is attached (task.attachFile checks it is the same file) or reopened
   * from its handle (task.reopen; with `reopen` here, tried at once with permissions already granted). Records of
   * uploads the service no longer knows (404) or that ended are deleted.
   */
  async restore({ reopen = false } = {}) {
    let records;
    try {
      records = await allRecords();
    } catch {
      return [];
    }
    const restored = [];
    const own = records.filter((record) => (record.endpoint ?? '') === this.api.endpoint && !this.find(record.fileId));
    for (const record of own.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
      let status;
      try {
        status = await this.api.uploadStatus(record.fileId);
      } catch (error) {
        if (error.status === 404) await removeRecord(record.fileId);
        else restored.push(this.track(new UploadTask({ ...this.engine(), record })));
        continue;
      }
      if (!RESUMABLE.includes(status.upload_status)) {
        await removeRecord(record.fileId);
        continue;
      }
      const task = this.track(new UploadTask({ ...this.engine(), record, status }));
      restored.push(task);
      if (reopen) await task.reopen().catch(() => false);
    }
    return restored;
  }

  /**
   * Unfinished uploads of `authorName` (all of the caller's when null) the service holds and this uploader does not
   * know (started in another browser, or local state cleared): each 'waiting-file', resumable once its file is
   * attached (the fingerprint kept in the upload's metadata checks it).
   */
  async findUnfinished(authorName = this.defaults.authorName) {
    const unfinished = [];
    let token = null;
    do {
      const page = await this.api.listUploads(authorName, 'uploading', token);
      unfinished.push(...page.uploads);
      token = page.next_token;
    } while (token && unfinished.length < LISTED_AT_MOST);
    const found = [];
    for (const summary of unfinished.reverse()) {
      if (this.find(summary.file_id)) continue;
      const status = await this.api.uploadStatus(summary.file_id);
      if (status.upload_status !== 'uploading') continue;
      found.push(this.track(new UploadTask({ ...this.engine(), record: recordFromStatus(status), status })));
    }
    return found;
  }

  /**
   * Resumes upload `fileId` with `file`, for an app that kept the id across a restart (e.g. in Uppy's restored
   * state): from this browser's record where there is one (it holds the parts' digests), else from the service's
   * status. The file must be the one the upload started with (attachFile's check). Answers the task, sending.
   */
  async resume(fileId, file, { handle = null } = {}) {
    let task = this.find(fileId);
    if (!task) {
      const record = (await allRecords().catch(() => [])).find((known) => known.fileId === fileId);
      const status = await this.api.uploadStatus(fileId);
      if (!RESUMABLE.includes(status.upload_status)) throw new Error(`The upload is ${status.upload_status} on the server`);
      task = this.track(new UploadTask({ ...this.engine(), record: record ?? recordFromStatus(status), status }));
    }
    if (task.hasFile) task.resume();
    else await task.attachFile(file, handle);
    return task;
  }

  /** The upload with this file id, if the uploader has it. */
  find(fileId) {
    return this.uploads.find((task) => task.fileId === fileId) ?? null;
  }

  /** Forgets a task (e.g. dismissed from a list); does not stop or cancel it. */
  remove(task) {
    this.uploads = this.uploads.filter((other) => other !== task);
  }

  pauseAll() {
    for (const task of this.uploads) task.pause();
  }

  resumeAll() {
    for (const task of this.uploads) task.resume();
  }

  /**
   * Stops every upload now and lets go of the page (network listeners, timer): for a component that goes away.
   * Nothing is deleted: the uploads stay resumable, from this browser's records or the service's listing.
   */
  abort() {
    this.pauseAll();
    clearInterval(this.ticker);
    this.ticker = null;
    globalThis.removeEventListener?.('online', this.onNetwork);
    globalThis.removeEventListener?.('offline', this.onNetwork);
  }

  /** Downloads an uploaded file by parts, each checked against its SHA-256 (see download.js). */
  download(fileId, options) {
    return downloadVerified(this.api, fileId, options);
  }

  engine() {
    return { api: this.api, scheduler: this.scheduler, hashPool: this.hashPool };
  }

  track(task) {
    this.uploads.push(task);
    task.addEventListener('statechange', () => {
      if (describe(task.state).active) this.tickWhileActive();
    });
    this.tickWhileActive();
    this.dispatchEvent(new CustomEvent('upload', { detail: task }));
    return task;
  }

  /** Rates decay to zero when nothing moves: the figures are told again each second while an upload is active. */
  tickWhileActive() {
    this.ticker ??= setInterval(() => {
      for (const upload of this.uploads) upload.tick();
      if (!this.uploads.some((upload) => describe(upload.state).active)) {
        clearInterval(this.ticker);
        this.ticker = null;
      }
    }, 1000);
  }
}

/** The Authorization provider for a bearer-token provider: `token` sees and answers bare tokens. */
function bearer(token) {
  if (!token) return null;
  return async ({ refused } = {}) => {
    const asked = refused === undefined ? {} : { refused: refused?.replace(/^Bearer /, '') ?? null };
    const value = await token(asked);
    return value ? `Bearer ${value}` : null;
  };
}

/** A local record for an upload known only from the service's status answer (no local digests, no handle). */
function recordFromStatus(status) {
  return {
    fileId: status.file_id, name: status.filename, size: status.file_size, type: status.file_type,
    lastModified: status.metadata?.last_modified ? Number(status.metadata.last_modified) : null,
    fingerprint: status.metadata?.fingerprint ?? null, partSize: status.part_size, partCount: status.part_count,
    authorName: status.author_name, startedAt: status.created_at, partDigests: {},
  };
}
