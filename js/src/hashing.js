// SHA-256 with WebCrypto, in the base64 form S3 uses for x-amz-checksum-sha256.

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export async function sha256Base64(bytes) {
  return toBase64(await sha256(bytes));
}

/** S3's composite checksum of a multipart object: SHA-256 over the raw part digests, then "-" and the count. */
export async function compositeChecksum(partDigestsBase64) {
  const raw = partDigestsBase64.map(fromBase64);
  const joined = new Uint8Array(raw.reduce((sum, digest) => sum + digest.length, 0));
  let offset = 0;
  for (const digest of raw) {
    joined.set(digest, offset);
    offset += digest.length;
  }
  return `${await sha256Base64(joined)}-${raw.length}`;
}

export function toBase64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
