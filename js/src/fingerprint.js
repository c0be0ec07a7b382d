// Tells whether a file picked for a resume is the one the upload started with, without reading all of it.

import { sha256Base64 } from './hashing.js';

const SAMPLE = 64 * 1024;

/** SHA-256 over the size and three 64 KiB samples (start, middle, end): cheap even for huge files. */
export async function fingerprint(file) {
  const starts = [0, Math.max(0, Math.floor(file.size / 2) - SAMPLE / 2), Math.max(0, file.size - SAMPLE)];
  const samples = await Promise.all(starts.map((start) => file.slice(start, start + SAMPLE).arrayBuffer()));
  const joined = new Uint8Array(8 + samples.reduce((sum, sample) => sum + sample.byteLength, 0));
  new DataView(joined.buffer).setBigUint64(0, BigInt(file.size));
  let offset = 8;
  for (const sample of samples) {
    joined.set(new Uint8Array(sample), offset);
    offset += sample.byteLength;
  }
  return sha256Base64(joined);
}

/** What identifies a file: the facts stored with an upload and compared on resume. */
export async function identify(file) {
  return { name: file.name, size: file.size, lastModified: file.lastModified, fingerprint: await fingerprint(file) };
}

/** Null when {@code file} is the expected one, else a sentence saying how it differs. */
export async function differenceFrom(expected, file) {
  if (file.name !== expected.name) return `it is named “${file.name}”, the upload is “${expected.name}”`;
  if (file.size !== expected.size) return `it has ${file.size} bytes, the upload has ${expected.size}`;
  if (expected.lastModified != null && file.lastModified !== expected.lastModified) {
    return 'it was modified at another time';
  }
  if (expected.fingerprint && (await fingerprint(file)) !== expected.fingerprint) {
    return 'its content differs';
  }
  return null;
}
