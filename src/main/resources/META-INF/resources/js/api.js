// Every call to Freight's /api goes through here, so authentication and error handling live in one place.

let authorizationProvider = async () => null;

/** fn() returns (or resolves to) the Authorization header value, or null for none. */
export function setAuthorizationProvider(fn) {
  authorizationProvider = fn ?? (async () => null);
}

/** A failed API call: HTTP status, problem+json details, and when to try again for 503s. */
export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds) {
    super(problem?.detail || problem?.title || (status ? `HTTP ${status}` : 'The service cannot be reached'));
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Worth trying again later: no answer at all, 429 or a 5xx. */
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const authorization = await authorizationProvider();
  if (authorization) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (unreachable) {
    throw new ApiError(0, null, null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const json = text ? safeJson(text) : null;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(response.status, json, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
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

export const initUpload = (request) => call('POST', '/api/upload/init', request);

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
