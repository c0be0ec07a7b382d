// Every call to Freight's /api goes through a FreightApi, so the endpoint, authentication, the page-wide pause and
// error answers live in one place. What to do about a failed call is retry-policy.js's to decide.

import { pageThrottle } from './backoff.js';

/** A failed API call: HTTP status, problem+json details, when to try again, and the Authorization it carried. */
export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds, authorization = null) {
    super(problem?.detail || problem?.title || (status ? `HTTP ${status}` : 'The service cannot be reached'));
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.authorization = authorization;
  }

  /** No answer, or an answer worth the same request again (held to src/test/vectors/retry-decisions.json). */
  get transient() {
    return this.status === 0 || TRANSIENT_STATUSES.has(this.status);
  }
}

/** Answers worth the same request again, from the service and from storage alike. */
export const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** A Retry-After header of whole seconds, or null when absent, zero or unreadable (the backoff applies then). */
export function retryAfterSeconds(header) {
  const seconds = /^\s*\d+\s*$/.test(header ?? '') ? Number(header) : 0;
  return seconds > 0 ? seconds : null;
}

/** `type` if the service accepts it as a media type, else application/octet-stream. */
export function mediaTypeOrDefault(type) {
  return /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/.test(type)
    ? type : 'application/octet-stream';
}

/** One Freight service: its address and how to authenticate to it. Uploads and downloads of an uploader share one. */
export class FreightApi {
  /**
   * @param endpoint the service's origin (and path prefix), e.g. `https://uploads.example.com`; '' for the page's own
   * @param authorization fn({refused}) returns (or resolves to) the Authorization header value, or null for none.
   *   It is asked before every call; after the service answered 401 to a value, it is asked with `refused` set to
   *   that value and should resolve with a fresh one (the retry policy then sends the call again).
   */
  constructor({ endpoint = '', authorization = null } = {}) {
    this.endpoint = String(endpoint).replace(/\/+$/, '');
    this.authorization = authorization ?? (async () => null);
  }

  /** Asks the provider for a value to replace `refused` (answered 401); resolves once it has answered. */
  async renewAuthorization(refused) {
    await this.authorization({ refused });
  }

  async call(method, path, body, extraHeaders = {}) {
    await pageThrottle.whenClear();
    const headers = { Accept: 'application/json', ...extraHeaders };
    const authorization = await this.authorization({});
    if (authorization) headers.Authorization = authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(this.endpoint + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (unreachable) {
      throw new ApiError(0, null, null, authorization);
    }
    if (response.status === 204) return null;
    const text = await response.text();
    const json = text ? safeJson(text) : null;
    if (!response.ok) {
      throw new ApiError(response.status, json, retryAfterSeconds(response.headers.get('Retry-After')), authorization);
    }
    return json;
  }

  /**
   * Starts an upload. `idempotencyKey` (one per file, the same on every retry) makes a retry after a lost answer
   * answer the same upload instead of starting a second one.
   */
  initUpload(request, idempotencyKey = null) {
    return this.call('POST', '/api/upload/init', request, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
  }

  /**
   * Part URLs: parts [{part_number, checksum_sha256}] (a SHA256 upload's URLs are always bound to the part's SHA-256).
   * With the upload's token the service signs without reading storage.
   */
  refreshUrls(fileId, parts, uploadToken = null) {
    return this.call('POST', '/api/upload/refresh_urls', { file_id: fileId, ...(uploadToken ? { upload_token: uploadToken } : {}), parts });
  }

  uploadStatus(fileId) {
    return this.call('GET', `/api/upload/${encodeURIComponent(fileId)}`);
  }

  /** parts: [{part_number, etag, checksum_sha256}], 1..N in order. */
  completeUpload(fileId, parts) {
    return this.call('POST', '/api/upload/complete', { file_id: fileId, parts });
  }

  abortUpload(fileId) {
    return this.call('POST', '/api/upload/abort', { file_id: fileId });
  }

  listUploads(authorName, uploadStatus, nextToken) {
    const query = new URLSearchParams({ limit: '50' });
    if (authorName) query.set('author_name', authorName);
    if (uploadStatus) query.set('upload_status', uploadStatus);
    if (nextToken) query.set('next_token', nextToken);
    return this.call('GET', `/api/upload?${query}`);
  }

  downloadLink(fileId) {
    return this.call('GET', `/api/download/${encodeURIComponent(fileId)}`);
  }

  /** One presigned ranged GET per part, with each part's SHA-256 (a SHA256 upload), from part `firstPart` on. */
  downloadParts(fileId, firstPart = 1) {
    return this.call('GET', `/api/download/${encodeURIComponent(fileId)}?parts=true&first_part=${firstPart}`);
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}
