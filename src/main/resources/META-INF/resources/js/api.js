// Every call to Freight's /api goes through here, so authentication, the page-wide pause and error answers live
// in one place. What to do about a failed call is retry-policy.js's to decide.

import { pageThrottle } from './backoff.js';

let authorizationProvider = async () => null;

/**
 * fn({refused}) returns (or resolves to) the Authorization header value, or null for none. It is asked before
 * every call; after the service answered 401 to a value, it is asked with `refused` set to that value and should
 * resolve with a fresh one (the retry policy then sends the call again).
 */
export function setAuthorizationProvider(fn) {
  authorizationProvider = fn ?? (async () => null);
}

/** Asks the provider for a value to replace `refused` (answered 401); resolves once it has answered. */
export async function renewAuthorization(refused) {
  await authorizationProvider({ refused });
}

/** A failed API call: HTTP status, problem+json details, when to try again, and the Authorization it carried. */
export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds, authorization = null) {
    super(problem?.detail || problem?.title || (status ? `HTTP ${status}` : 'The service cannot be reached'));
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.authorization = authorization;
  }

  /** Worth trying again later: no answer at all, 429 or a 5xx. */
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

async function call(method, path, body, extraHeaders = {}) {
  await pageThrottle.whenClear();
  const headers = { Accept: 'application/json', ...extraHeaders };
  const authorization = await authorizationProvider({});
  if (authorization) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/**
 * Starts an upload. `idempotencyKey` (one per file, the same on every retry) makes a retry after a lost answer
 * answer the same upload instead of starting a second one.
 */
export const initUpload = (request, idempotencyKey = null) =>
  call('POST', '/api/upload/init', request, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});

/** `type` if the service accepts it as a media type, else application/octet-stream. */
export function mediaTypeOrDefault(type) {
  return /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/.test(type)
    ? type : 'application/octet-stream';
}

/**
 * Part URLs: parts [{part_number, checksum_sha256}] (a SHA256 upload's URLs are always bound to the part's SHA-256).
 * With the upload's token the service signs without reading storage.
 */
export const refreshUrls = (fileId, parts, uploadToken = null) =>
  call('POST', '/api/upload/refresh_urls', { file_id: fileId, ...(uploadToken ? { upload_token: uploadToken } : {}), parts });

export const uploadStatus = (fileId) => call('GET', `/api/upload/${encodeURIComponent(fileId)}`);

/** parts: [{part_number, etag, checksum_sha256}], 1..N in order. */
export const completeUpload = (fileId, parts) => call('POST', '/api/upload/complete', { file_id: fileId, parts });

export const abortUpload = (fileId) => call('POST', '/api/upload/abort', { file_id: fileId });

export function listUploads(authorName, uploadStatus, nextToken) {
  const query = new URLSearchParams({ author_name: authorName, limit: '50' });
  if (uploadStatus) query.set('upload_status', uploadStatus);
  if (nextToken) query.set('next_token', nextToken);
  return call('GET', `/api/upload?${query}`);
}

export const downloadLink = (fileId) => call('GET', `/api/download/${encodeURIComponent(fileId)}`);
