// One PUT of one part's bytes to its presigned URL, with upload progress (hence XHR, not fetch), and storage's
// error answers sorted by what can fix them.

import { TRANSIENT_STATUSES } from './api.js';
import { pageThrottle } from './backoff.js';

/**
 * A failed PUT. {@code kind}: 'expired' (403, or 400 ExpiredToken: the URL is refused, sign
 * it again), 'refused' (400: storage refused these
 * bytes, e.g. BadDigest or InvalidRequest, which sending the same again cannot fix), 'final' (any other 4xx or
 * 5xx, e.g. NoSuchUpload, EntityTooSmall), 'transient' (no answer, timeout, 408, 429, 500, 502, 503, 504, S3's
 * RequestTimeout) or 'aborted'. The message carries
 * storage's own code and words.
 */
export class PartSendError extends Error {
  constructor(kind, message, status, code = '') {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

/**
 * Sends `body` (a Blob of exactly `signed.size` bytes) and resolves with the ETag storage answered; waits out the
 * page-wide pause first.
 */
export async function sendPart(signed, body, { onProgress, signal, timeoutMs = 120_000 } = {}) {
  await pageThrottle.whenClear(signal);
  if (signal?.aborted) throw new PartSendError('aborted', 'Stopped', 0);
  return new Promise((resolve, reject) => {
    if (signed.size != null && body.size !== signed.size) {
      reject(new PartSendError('refused', `The part has ${body.size} bytes, its URL is signed for ${signed.size}`, 0));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', signed.url);
    xhr.timeout = timeoutMs;
    for (const [name, value] of Object.entries(signed.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        const etag = xhr.getResponseHeader('ETag');
        if (etag) resolve(etag);
        else reject(new PartSendError('final', 'Storage answered without an ETag (is it exposed by CORS?)', xhr.status));
        return;
      }
      reject(classify(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new PartSendError('transient', 'The connection to storage failed', 0));
    xhr.ontimeout = () => reject(new PartSendError('transient', 'Storage did not answer in time', 0));
    xhr.onabort = () => reject(new PartSendError('aborted', 'Stopped', 0));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    // A Blob without a type gets no Content-Type, which is what the signature expects.
    xhr.send(body);
  });
}

// Storage's words, sorted by remedy (S3 API Reference, "Error responses":
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). The Java client sorts them alike; both are
// held to src/test/vectors/storage-errors.json.
/** 400s that say the bytes are not the ones the URL was signed for: read and hash the part again. */
const REFUSED_BYTES = new Set(['BadDigest', 'InvalidDigest', 'InvalidRequest', 'XAmzContentSHA256Mismatch',
  'IncompleteBody', 'InvalidChecksum']);
/** 400s that say the URL's credentials ended ("The provided token has expired."): sign again. */
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'TokenRefreshRequired']);

/** Storage's error answer (S3's XML) as a PartSendError of the right kind. */
export function classify(status, body) {
  const code = /<Code>([^<]+)<\/Code>/.exec(body ?? '')?.[1] ?? '';
  const message = /<Message>([^<]+)<\/Message>/.exec(body ?? '')?.[1] ?? '';
  const said = [code, message].filter(Boolean).join(': ') || `HTTP ${status}`;
  // S3 answers a stalled body 400 RequestTimeout ("Your socket connection to the server was not read from or
  // written to within the timeout period"), which AWS's SDKs retry.
  if (TRANSIENT_STATUSES.has(status) || code === 'RequestTimeout') {
    return new PartSendError('transient', `Storage answered ${said}`, status, code);
  }
  if (status === 403 || EXPIRED_CREDENTIALS.has(code)) {
    return new PartSendError('expired', `Storage refused the URL (${said})`, status, code);
  }
  if (status === 400 && (code === '' || REFUSED_BYTES.has(code))) {
    return new PartSendError('refused', `Storage refused the part (${said})`, status, code);
  }
  return new PartSendError('final', `Storage answered ${said}`, status, code);
}
