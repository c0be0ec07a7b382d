// How a file is cut into parts: S3's multipart limits and the part size the page wishes for, from the file size.

const MIB = 1024 * 1024;

/** S3's limits for multipart uploads. */
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;

/** Below this many parts per connection the last round of parts leaves connections idle for long. */
const DEFAULT_PART_SIZE = 16 * MIB;

/**
 * The part size to ask for: the user's wish if there is one, else 16 MiB (what the service defaults to and what
 * keeps 6 connections busy with little per-part overhead on a 1 GiB file), grown only as far as S3's 10,000 parts
 * require, and always within S3's limits.
 */
export function partSizeFor(fileSize, wished = null) {
  const floor = Math.ceil(fileSize / MAX_PARTS);
  const size = Math.max(wished ?? DEFAULT_PART_SIZE, floor, MIN_PART_SIZE);
  return Math.min(size, MAX_PART_SIZE);
}

/** Part numbers 1..partCount, their byte ranges and lengths, for one file and part size. */
export class PartPlan {
  constructor(fileSize, partSize) {
    this.fileSize = fileSize;
    this.partSize = partSize;
    this.partCount = Math.max(1, Math.ceil(fileSize / partSize));
  }

  start(partNumber) {
    return (partNumber - 1) * this.partSize;
  }

  length(partNumber) {
    const start = this.start(partNumber);
    return Math.min(this.fileSize, start + this.partSize) - start;
  }

  /** The part's bytes as a Blob slice of the file (read from disk only when someone reads or sends it). */
  slice(file, partNumber) {
    const start = this.start(partNumber);
    return file.slice(start, start + this.length(partNumber));
  }

  /** The first `count` part numbers. */
  first(count) {
    return Array.from({ length: Math.min(count, this.partCount) }, (_, i) => i + 1);
  }
}
