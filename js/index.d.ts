// Type declarations of @freight/client, written by hand next to the ES modules in src/ (no build step).

/** Answers the bearer token for Freight's API (null when authentication is off). */
export type TokenProvider = (ask: { refused?: string | null }) => string | null | Promise<string | null>;
/** Answers the whole Authorization header value (e.g. `Bearer …`), or null. */
export type AuthorizationProvider = (ask: { refused?: string | null }) => string | null | Promise<string | null>;

export interface UploaderOptions {
  /** The service's origin (and path prefix), e.g. `https://uploads.example.com`; '' (default) for the page's own. */
  endpoint?: string;
  /**
   * Asked before every call; after the service refused a token (401) asked again with `refused` set to it, and
   * should then answer a fresh one.
   */
  token?: TokenProvider;
  /** Instead of `token`: the whole Authorization header value. */
  authorization?: AuthorizationProvider;
  /** The `author_name` new uploads get (optional when the token has a `name` claim). */
  authorName?: string | null;
  /** The part size to wish for, in bytes (the service clamps it; default its own, 16 MiB). */
  partSize?: number | null;
  scheduler?: PartScheduler;
  hashPool?: HashPool;
}

export interface AddOptions {
  /** The file's handle where the browser gave one (showOpenFilePicker, drag and drop): kept for a resume. */
  handle?: FileSystemFileHandle | null;
  authorName?: string | null;
  partSize?: number | null;
  /** The app's own strings kept with the upload (the resume fingerprint is added to them). */
  metadata?: Record<string, string>;
}

/** Every state an upload can be in. */
export type UploadState =
  | 'waiting-file' | 'hashing' | 'starting' | 'uploading' | 'offline' | 'paused' | 'completing' | 'verifying'
  | 'done' | 'failed' | 'cancelling' | 'cancelled';

export interface PartOnTheWire {
  partNumber: number;
  /** 'preparing', 'sending', 'retrying (…)' or 'waiting for the network'. */
  phase: string;
  /** Bytes of the part sent so far. */
  loaded: number;
}

export interface UploadProgress {
  state: UploadState;
  bytesSent: number;
  bytesTotal: number;
  /** Bytes per second over the last seconds; 0 while unknown or stalled. */
  rate: number;
  /** Seconds left at that rate; null while unknown. */
  etaSeconds: number | null;
  partsStored: number;
  partCount: number;
  partsOnTheWire: PartOnTheWire[];
}

export interface UploadOutcome {
  fileId: string;
  name: string;
  size: number;
  /** Storage's ETag of the object. */
  etag: string;
  /** Storage's composite SHA-256 of the object (`<base64>-<parts>`), checked here against the parts' digests. */
  checksum: string | null;
  /** The checks passed, in words. */
  checks: string[];
}

export interface UploadTaskEventMap {
  change: Event;
  progress: Event & { readonly detail: UploadProgress };
  statechange: CustomEvent<UploadState>;
}

/** One file's upload: its state, progress and controls. */
export declare class UploadTask extends EventTarget {
  readonly state: UploadState;
  readonly fileId: string | null;
  readonly name: string;
  readonly size: number;
  readonly partCount: number;
  readonly storedPartCount: number;
  readonly bytesSent: number;
  /** Bytes per second now. */
  readonly speed: number;
  readonly hasFile: boolean;
  readonly handle: FileSystemFileHandle | null;
  /** Why it failed, in words ('' unless failed). */
  readonly reason: string;
  readonly progressNow: UploadProgress;
  /** Set once done. */
  readonly outcome: UploadOutcome | null;
  /** Resolves once done; rejects once it fails or is cancelled. */
  result(): Promise<UploadOutcome>;
  /** Stops sending; resume() goes on from what storage holds. */
  pause(): void;
  resume(): void;
  /** Gives the upload up: the service aborts it and storage deletes its parts; the local record goes. */
  cancel(): Promise<void>;
  /** Resumes with the file picked again: rejects (and changes nothing) unless it is the same file. */
  attachFile(file: File, handle?: FileSystemFileHandle | null): Promise<void>;
  /** Resumes from the kept handle without a dialog when the browser allows; resolves whether it could. */
  reopen(options?: { ask?: boolean }): Promise<boolean>;
  addEventListener<K extends keyof UploadTaskEventMap>(type: K, listener: (event: UploadTaskEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
}

export interface DownloadProgress {
  bytesReceived: number;
  bytesTotal: number;
  partsChecked: number;
  partCount: number;
}

export interface DownloadOptions {
  /** Where the bytes go, in order (e.g. from showSaveFilePicker); without one the result holds a Blob. */
  writable?: WritableStream<Uint8Array> | null;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Parts fetched at once (default 6). */
  concurrency?: number;
}

export interface DownloadResult {
  filename: string;
  fileType: string;
  size: number;
  /** The object's composite SHA-256 the parts were checked against, or null (an upload without checksums). */
  checksum: string | null;
  /** Parts checked against their SHA-256. */
  partsChecked: number;
  blob: Blob | null;
}

/** The part's bytes did not match what storage recorded, also when fetched again. */
export declare class IntegrityError extends Error {}

export interface UploaderEventMap {
  upload: CustomEvent<UploadTask>;
}

export declare class Uploader extends EventTarget {
  constructor(options?: UploaderOptions);
  readonly api: FreightApi;
  /** Every upload the uploader added, restored or found, until removed. */
  readonly uploads: UploadTask[];
  /** Starts uploading a file at once. */
  add(file: File, options?: AddOptions): UploadTask;
  /**
   * This browser's unfinished uploads to this endpoint (IndexedDB), each 'waiting-file' until its file is attached
   * or reopened (with `reopen`, tried at once where a handle's permission is granted).
   */
  restore(options?: { reopen?: boolean }): Promise<UploadTask[]>;
  /** The service's unfinished uploads of `authorName` this uploader does not know (another browser, lost state). */
  findUnfinished(authorName?: string | null): Promise<UploadTask[]>;
  /** Resumes a known upload with its file (checked against the upload's fingerprint); answers it, sending. */
  resume(fileId: string, file: File, options?: { handle?: FileSystemFileHandle | null }): Promise<UploadTask>;
  find(fileId: string): UploadTask | null;
  remove(task: UploadTask): void;
  pauseAll(): void;
  resumeAll(): void;
  /** Stops every upload and lets go of the page (for a component that goes away); they stay resumable. */
  abort(): void;
  /** Downloads a file by parts, each checked against its SHA-256. */
  download(fileId: string, options?: DownloadOptions): Promise<DownloadResult>;
  addEventListener<K extends keyof UploaderEventMap>(type: K, listener: (event: UploaderEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
}

export declare function createUploader(options?: UploaderOptions): Uploader;

/** A failed API call: the HTTP status (0: no answer), the problem+json body, Retry-After. */
export declare class ApiError extends Error {
  constructor(status: number, problem: unknown, retryAfterSeconds: number | null, authorization?: string | null);
  readonly status: number;
  readonly problem: { type?: string; title?: string; detail?: string; [field: string]: unknown } | null;
  readonly retryAfterSeconds: number | null;
  readonly authorization: string | null;
  readonly transient: boolean;
}

/** Freight's HTTP API (docs/api.md), for calls the uploader does not make itself. Answers are the API's JSON. */
export declare class FreightApi {
  constructor(options?: { endpoint?: string; authorization?: AuthorizationProvider | null });
  readonly endpoint: string;
  initUpload(request: object, idempotencyKey?: string | null): Promise<any>;
  refreshUrls(fileId: string, parts: object[], uploadToken?: string | null): Promise<any>;
  uploadStatus(fileId: string): Promise<any>;
  completeUpload(fileId: string, parts: object[]): Promise<any>;
  abortUpload(fileId: string): Promise<null>;
  listUploads(authorName: string | null, uploadStatus?: string | null, nextToken?: string | null): Promise<any>;
  downloadLink(fileId: string): Promise<any>;
  downloadParts(fileId: string, firstPart?: number): Promise<any>;
}

export declare function downloadVerified(api: FreightApi, fileId: string, options?: DownloadOptions): Promise<DownloadResult>;

/** The file behind a handle when the browser lets the page read it (`ask`: may ask the user); else null. */
export declare function fileFromHandle(handle: FileSystemFileHandle | null, options?: { ask?: boolean }): Promise<File | null>;

export interface StateFacts {
  label: string;
  tone: '' | 'ok' | 'warn' | 'bad';
  active: boolean;
  pausable: boolean;
  resumable: boolean;
  stopped: boolean;
  inTotal: boolean;
}

/** What a state is and allows (the label Freight's page shows, whether pause/resume act). */
export declare function describeState(state: UploadState): StateFacts;
/** Whether a list shows `action`'s button for an upload in `state`. */
export declare function offers(state: UploadState, action: 'pause' | 'resume' | 'choose' | 'cancel' | 'dismiss',
  facts: { hasFile: boolean; hasUpload: boolean }): boolean;
export declare const ALL_STATES: readonly UploadState[];

/** Hands out connections and memory for parts across every upload of the page. */
export declare class PartScheduler {
  constructor(budgetBytes?: number, hostLimit?: number);
}

/** SHA-256 of parts in Web Workers (on the main thread where module workers are unavailable). */
export declare class HashPool {
  constructor(size?: number);
  hash(blob: Blob): Promise<string>;
}
