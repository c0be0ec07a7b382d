// Downloads an uploaded file by parts (GET /api/download/{id}?parts=true): one presigned ranged GET per part,
// several at once, each part's bytes checked against the SHA-256 storage recorded at upload before they count, and
// the parts' digests against the object's composite checksum at the end. A part that arrives short or wrong is
// fetched again; the bytes go out in order, to a WritableStream or into a Blob.

import { HOST_CONNECTION_LIMIT } from './concurrency.js';
import { compositeChecksum, sha256Base64 } from './hashing.js';
import { retrying } from './retry-policy.js';
import { PartSendError, classify } from './part-sender.js';

/** Fresh fetches of a part whose bytes did not match its SHA-256 (a flipped bit on the way), then it fails. */
const REFETCHES = 2;

/** A part's bytes did not match what storage recorded for it, also when fetched again. */
export class IntegrityError extends Error {}

/**
 * @param api the FreightApi of the service that holds the file
 * @param writable a WritableStream (e.g. from showSaveFilePicker) the bytes go to in order; without one, the
 *   result holds a Blob of the file
 * @param onProgress fn({bytesReceived, bytesTotal, partsChecked, partCount})
 * @returns {filename, fileType, size, checksum (the composite SHA-256, or null), partsChecked, blob (or null)}
 */
export async function downloadVerified(api, fileId, { writable = null, signal, onProgress,
  concurrency = HOST_CONNECTION_LIMIT } = {}) {
  const first = await retrying(() => api.downloadParts(fileId), { signal, api });
  const parts = [...first.parts];
  for (let next = first.next_part; next; ) {
    const page = await retrying(() => api.downloadParts(fileId, next), { signal, api });
    parts.push(...page.parts);
    next = page.next_part;
  }
  const writer = writable?.getWriter();
  const chunks = [];
  const digests = [];
  let bytesReceived = 0;
  const pending = new Array(parts.length);
  let launched = 0;
  const launch = () => {
    const index = launched++;
    pending[index] = fetchPart(api, fileId, parts[index], signal);
    pending[index].catch(() => {});
  };
  try {
    while (launched < Math.min(concurrency, parts.length)) launch();
    for (let index = 0; index < parts.length; index++) {
      const { bytes, digest } = await pending[index];
      pending[index] = null;
      if (launched < parts.length) launch();
      if (writer) await writer.write(bytes);
      else chunks.push(bytes);
      digests.push(digest);
      bytesReceived += bytes.byteLength;
      onProgress?.({ bytesReceived, bytesTotal: first.file_size, partsChecked: index + 1, partCount: parts.length });
    }
    const checksum = first.object_checksum_sha256 ?? null;
    if (checksum && (await compositeChecksum(digests)) !== checksum) {
      throw new IntegrityError(`The parts' SHA-256s do not make the object's checksum ${checksum}`);
    }
    await writer?.close();
    return {
      filename: first.filename, fileType: first.file_type, size: bytesReceived, checksum,
      partsChecked: parts.filter((part) => part.checksum_sha256).length,
      blob: writer ? null : new Blob(chunks, { type: first.file_type ?? '' }),
    };
  } catch (error) {
    await writer?.abort(error).catch(() => {});
    throw error;
  }
}

/**
 * One part's bytes and their digest, checked against its size and SHA-256; an expired URL is signed again, a
 * transient failure retried by the one retry policy, wrong bytes fetched again up to REFETCHES times.
 */
async function fetchPart(api, fileId, part, signal) {
  let target = part;
  for (let refetch = 0; ; refetch++) {
    const bytes = await retrying(async () => {
      let response;
      try {
        response = await fetch(target.url, { headers: target.headers ?? {}, signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new PartSendError('transient', 'The connection to storage failed', 0);
      }
      if (!response.ok) throw classify(response.status, await response.text());
      return new Uint8Array(await response.arrayBuffer());
    }, {
      signal,
      api,
      onRemedy: async (decision) => {
        if (decision.action !== 'resign') return;
        const page = await api.downloadParts(fileId, part.part_number);
        target = page.parts[0];
      },
    });
    const digest = await sha256Base64(bytes);
    const whole = bytes.byteLength === part.size;
    if (whole && (!part.checksum_sha256 || digest === part.checksum_sha256)) return { bytes, digest };
    if (refetch >= REFETCHES) {
      throw new IntegrityError(whole
        ? `Part ${part.part_number}: its SHA-256 ${digest} is not the ${part.checksum_sha256} storage recorded`
        : `Part ${part.part_number}: ${bytes.byteLength} bytes arrived, it has ${part.size}`);
    }
  }
}
