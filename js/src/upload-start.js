// What a new file's init sends and what the page keeps of its answer: the request is made once (the first parts
// hashed, the file fingerprinted), so every try of init sends the same body under the same Idempotency-Key.

import { mediaTypeOrDefault } from './api.js';
import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { identify } from './fingerprint.js';
import { PartPlan, partSizeFor } from './part-plan.js';

export const SHA256 = 'SHA256';

/**
 * Fingerprints the file and hashes the first parts, a connection's worth, but waits only for one round of the hashing
 * workers (`first`: their URLs come back with init): the rest (`ahead`, part number -> promised digest) are hashed
 * while init is on its way, so the first PUTs start one part's hashing after the file is chosen, not three.
 * Resolves {plan, first, digests, ahead, identity, body}: body is init's request.
 */
export async function prepareInit(file, { authorName, wishedPartSize, hashPool, metadata = {}, now = new Date() }) {
  if (file.size === 0) throw new Error('Empty files cannot be uploaded');
  const plan = new PartPlan(file.size, partSizeFor(file.size, wishedPartSize));
  const opening = plan.first(HOST_CONNECTION_LIMIT);
  const hashing = opening.map((n) => hashPool.hash(plan.slice(file, n)));
  for (const pending of hashing) pending.catch(() => {}); // a part that cannot be read fails where it is awaited
  const first = opening.slice(0, Math.max(1, hashPool.size ?? HOST_CONNECTION_LIMIT));
  const ahead = new Map(opening.slice(first.length).map((n, i) => [n, hashing[first.length + i]]));
  const [identity, ...digests] = await Promise.all([identify(file), ...hashing.slice(0, first.length)]);
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
  return { plan, first, digests, ahead, identity, body };
}

/**
 * The first digests, the digests still being worked out (`ahead`) and URLs init's answer makes usable (none when the
 * service cut the file otherwise than asked: then the digests are of other parts), and the upload's local record
 * (see resume-store.js).
 */
export function started(prepared, answer, idempotencyKey, now = new Date()) {
  const asked = answer.part_size === prepared.plan.partSize;
  return {
    digests: asked ? prepared.first.map((n, i) => [n, prepared.digests[i]]) : [],
    ahead: asked ? [...(prepared.ahead ?? [])] : [],
    urls: asked ? (answer.parts ?? []).map((part) => [part.part_number, part]) : [],
    record: {
      fileId: answer.file_id, ...prepared.identity, type: prepared.body.file_type, partSize: answer.part_size,
      partCount: answer.part_count, authorName: prepared.body.author_name, startedAt: now.toISOString(),
      partDigests: {}, idempotencyKey,
    },
  };
}
