// One PUT of one part's bytes to its presigned URL, with upload progress (hence XHR, not fetch).

/** A failed PUT: {@code kind} is 'expired' (URL refused: sign again), 'corrupt' (bytes refused), 'aborted', or 'transient'. */
export class PartSendError extends Error {
  constructor(kind, message, status) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/** Sends `body` (a Blob) and resolves with the ETag storage answered. */
export function sendPart(signed, body, { onProgress, signal, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', signed.url);
    xhr.timeout = timeoutMs;
    for (const [name, value] of Object.entries(signed.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        const etag = xhr.getResponseHeader('ETag');
        if (etag) resolve(etag);
        else reject(new PartSendError('transient', 'Storage answered without an ETag (is it exposed by CORS?)', xhr.status));
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

function classify(status, body) {
  const code = /<Code>([^<]+)<\/Code>/.exec(body ?? '')?.[1] ?? '';
  const message = /<Message>([^<]+)<\/Message>/.exec(body ?? '')?.[1] ?? '';
  const said = [code, message].filter(Boolean).join(': ') || `HTTP ${status}`;
  if (status === 403 || code === 'ExpiredToken' || code === 'RequestExpired') {
    return new PartSendError('expired', `Storage refused the URL (${said})`, status);
  }
  if (code === 'BadDigest' || code === 'InvalidDigest' || code === 'XAmzContentSHA256Mismatch') {
    return new PartSendError('corrupt', `Storage refused the bytes (${said})`, status);
  }
  return new PartSendError('transient', `Storage answered ${said}`, status);
}
