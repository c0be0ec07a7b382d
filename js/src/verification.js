// After complete: storage's ETag and composite SHA-256 of the object against the ones the page computes itself.

import { compositeChecksum } from './hashing.js';
import { multipartEtag } from './md5.js';

/**
 * Resolves with the list of checks passed, or throws naming the one that failed.
 * @param result the complete (or status) answer: etag, object_checksum_sha256, checksum_algorithm
 * @param etags part ETags 1..N as storage answered them
 * @param digestOf async (n) -> the page's own base64 SHA-256 of part n
 */
export async function verifyObject(result, etags, partCount, digestOf) {
  const checks = [];
  if (etags.every(Boolean)) {
    const ownEtag = multipartEtag(etags);
    if (ownEtag !== unquote(result.etag)) throw new Error(`Integrity check failed: storage's ETag ${result.etag} is not ${ownEtag}`);
    checks.push(`ETag ${ownEtag} matches`);
  }
  if (result.object_checksum_sha256) {
    const digests = [];
    for (let n = 1; n <= partCount; n++) digests.push(await digestOf(n));
    const ownChecksum = await compositeChecksum(digests);
    if (ownChecksum !== result.object_checksum_sha256) {
      throw new Error(`Integrity check failed: storage's SHA-256 ${result.object_checksum_sha256} is not ${ownChecksum}`);
    }
    checks.push(`SHA-256 ${ownChecksum} matches`);
  } else if (result.checksum_algorithm === 'SHA256') {
    throw new Error('Integrity check failed: storage reported no SHA-256 for the object');
  } else {
    checks.push('storage checked each part against its size on arrival');
  }
  return checks;
}

const unquote = (etag) => (etag ?? '').replaceAll('"', '');
