// @freight/uppy: an Uppy uploader plugin on @freight/client. An Uppy app replaces `.use(AwsS3, {...})` with
// `.use(Freight, { endpoint, token })` and gets Freight's engine (SHA-256-bound parts in parallel, upload tokens, one
// retry policy, a verified object) with Uppy's own progress, events, pause and resume. Each file's Freight id is kept
// in Uppy's file state (`file.freight.fileId`), which Golden Retriever saves: after a browser restart the file the
// user adds again is checked against the upload's fingerprint and only the parts storage lacks are sent.

import { BasePlugin } from '@uppy/core';
import { createUploader } from '@freight/client';

export default class Freight extends BasePlugin {
  static VERSION = '1.0.0';

  /**
   * opts: endpoint, token (or authorization), authorName, partSize as createUploader takes them, or `uploader` (an
   * Uploader of @freight/client to share with the rest of the app); `id` (default 'Freight').
   */
  constructor(uppy, opts = {}) {
    super(uppy, opts);
    this.id = this.opts.id ?? 'Freight';
    this.type = 'uploader';
    this.uploader = this.opts.uploader ?? createUploader({
      endpoint: this.opts.endpoint ?? '', token: this.opts.token ?? null, authorization: this.opts.authorization ?? null,
      authorName: this.opts.authorName ?? null, partSize: this.opts.partSize ?? null,
    });
    /** Uppy file id -> its UploadTask. */
    this.tasks = new Map();
    this.handleUpload = this.handleUpload.bind(this);
    this.onPause = (file, isPaused) => this.task(file)?.[isPaused ? 'pause' : 'resume']();
    this.onPauseAll = () => { for (const task of this.tasks.values()) task.pause(); };
    this.onResumeAll = () => { for (const task of this.tasks.values()) task.resume(); };
    this.onRemoved = (file) => {
      const task = this.task(file);
      if (!task) return;
      this.tasks.delete(file.id ?? file);
      // A removed file that is not done: its upload is given up on the service too, and storage drops its parts.
      if (task.state !== 'done') task.cancel();
    };
  }

  install() {
    const { capabilities } = this.uppy.getState();
    this.uppy.setState({ capabilities: { ...capabilities, resumableUploads: true } });
    this.uppy.addUploader(this.handleUpload);
    this.uppy.on('upload-pause', this.onPause);
    this.uppy.on('pause-all', this.onPauseAll);
    this.uppy.on('resume-all', this.onResumeAll);
    this.uppy.on('file-removed', this.onRemoved);
  }

  uninstall() {
    this.uppy.removeUploader(this.handleUpload);
    this.uppy.off('upload-pause', this.onPause);
    this.uppy.off('pause-all', this.onPauseAll);
    this.uppy.off('resume-all', this.onResumeAll);
    this.uppy.off('file-removed', this.onRemoved);
    if (!this.opts.uploader) this.uploader.abort();
  }

  /** Uppy passes the file (Uppy 4+) or its id (before). */
  task(file) {
    return this.tasks.get(typeof file === 'string' ? file : file?.id);
  }

  async handleUpload(fileIDs) {
    // As Uppy's own uploaders do: neither files done nor files in error; no second upload-start for restored ones.
    const files = this.uppy.getFilesByIds(fileIDs).filter((file) => !file.error && !file.progress.uploadComplete);
    this.uppy.emit('upload-start', files.filter((file) => !file.progress.uploadStarted || !file.isRestored));
    await Promise.allSettled(files.map((file) => this.uploadFile(file)));
  }

  async uploadFile(file) {
    let task;
    try {
      task = await this.start(file);
    } catch (error) {
      this.uppy.emit('upload-error', this.uppy.getFile(file.id), error);
      return;
    }
    this.tasks.set(file.id, task);
    const remember = () => {
      if (task.fileId && this.uppy.getFile(file.id)?.freight?.fileId !== task.fileId) {
        this.uppy.setFileState(file.id, { freight: { fileId: task.fileId } });
      }
    };
    remember();
    task.addEventListener('statechange', remember);
    task.addEventListener('progress', (event) => {
      const current = this.uppy.getFile(file.id);
      if (!current) return;
      const { bytesSent, bytesTotal } = event.detail;
      this.uppy.emit('upload-progress', current, {
        uploader: this, uploadStarted: current.progress.uploadStarted ?? Date.now(), bytesUploaded: bytesSent, bytesTotal,
      });
    });
    try {
      const outcome = await task.result();
      this.uppy.emit('upload-success', this.uppy.getFile(file.id), { status: 200, body: outcome, uploadURL: undefined });
    } catch (error) {
      if (this.uppy.getFile(file.id)) this.uppy.emit('upload-error', this.uppy.getFile(file.id), error);
    } finally {
      task.removeEventListener('statechange', remember);
    }
  }

  /** A task for `file`: the one running, the Freight upload its state names (resumed), or a new upload. */
  async start(file) {
    const running = this.tasks.get(file.id);
    if (running && running.state !== 'cancelled') {
      running.resume();
      return running;
    }
    const known = file.freight?.fileId;
    if (known) {
      try {
        return await this.uploader.resume(known, file.data);
      } catch (error) {
        // Gone on the service (404, expired, aborted): a new upload. Another file than the upload's: say so.
        if (!(error.status === 404 || /on the server/.test(error.message))) throw error;
      }
    }
    return this.uploader.add(file.data, { metadata: stringsOf(file.meta) });
  }
}

/**
 * Uppy's meta of a file as Freight's metadata, within Freight's rules (docs/api.md, limits): string values up to 1024
 * characters under keys of letters, digits, `.`, `_`, `-` up to 128; at most 30, as Freight adds its own two.
 */
function stringsOf(meta = {}) {
  return Object.fromEntries(Object.entries(meta)
    .filter(([key, value]) => typeof value === 'string' && value.length <= 1024 && /^[A-Za-z0-9._-]{1,128}$/.test(key)
      && !['name', 'type', 'fingerprint', 'last_modified'].includes(key))
    .slice(0, 30));
}
