// What a new file's init sends and what the page keeps of its answer: the request is made once (the first parts
// hashed, the file fingerprinted), so every try of init sends the same body under the same Idempotency-Key.

import { mediaTypeOrDefault } from './api.js';
import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { identify } from './fingerprint.js';
import { PartPlan, partSizeFor } from './part-plan.js';

export const SHA256 = 'SHA256';

/**
 * Hashes the first parts (a connection's worth, so their URLs come back with init) and fingerprints the file.
 * Resolves {plan, first, digests, identity, body}: body is init's request.
 */
export async function prepareInit(file, { authorName, wishedPartSize, hashPool, metadata = {}, now = new Date() }) {
  if (file.size === 0) throw new Error('Empty files cannot be uploaded');
  const plan = new PartPlan(file.size, partSizeFor(file.size, wishedPartSize));
  const first = plan.first(HOST_CONNECTION_LIMIT);
  const [identity, ...digests] = await Promise.all([identify(file), ...first.map((n) => hashPool.hash(plan.slice(file, n)))]);
  const body = {
    filename: file.name,
    file_type: mediaTypeOrDefault(file.type),
    file_size: file.size,
    author_name: authorName,
    created_at: now.toISOString(),
    part_size: plan.partSize,
    // Every part URL is bound to the part's SHA-256, which storage keeps and checks (S3's SHA256 kind).
    checksum_algorithm: SHA256,
    parts: first.map((n, i) => ({ part_number: n, checksum_sha256: digests[i] })),
    metadata: { ...metadata, fingerprint: identity.fingerprint, last_modified: String(identity.lastModified) },
  };
  return { plan, first, digests, identity, body };
}

/**
 * The first digests and URLs init's answer makes usable (none when the service cut the file otherwise than asked:
 * then the digests are of other parts), and the upload's local record (see resume-store.js).
 */
export function started(prepared, answer, idempotencyKey, now = new Date()) {
  const asked = answer.part_size === prepared.plan.partSize;
  return {
    digests: asked ? prepared.first.map((n, i) => [n, prepared.digests[i]]) : [],
    urls: asked ? (answer.parts ?? []).map((part) => [part.part_number, part]) : [],
    record: {
      fileId: answer.file_id, ...prepared.identity, type: prepared.body.file_type, partSize: answer.part_size,
      partCount: answer.part_count, authorName: prepared.body.author_name, startedAt: now.toISOString(),
      partDigests: {}, idempotencyKey,
    },
  };
}
