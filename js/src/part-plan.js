// How a file is cut into parts: S3's multipart limits and the part size the page wishes for, from the file size.

const MIB = 1024 * 1024;

/** S3's limits for multipart uploads. */
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;

/**
 * The service's default bounds (FreightConfig's `freight.upload.*` defaults). 16 MiB by default: what keeps 6
 * connections busy with little per-part overhead on a 1 GiB file.
 */
export const SERVICE_BOUNDS = Object.freeze({
  minPartSize: MIN_PART_SIZE, maxPartSize: MAX_PART_SIZE, defaultPartSize: 16 * MIB,
});

/**
 * The part size to ask for, by the rule the service plans with (its PartPlan; both held to
 * src/test/vectors/part-plans.json): the wish (or the default) within the bounds and S3's limits; when that needs
 * more than 10,000 parts, the smallest whole number of MiB that fits the file in 10,000 parts. Asked with its own
 * answer the rule gives the same again, so the service cuts the file as asked and the parts hashed before init
 * stay usable.
 */
export function partSizeFor(fileSize, wished = null, bounds = SERVICE_BOUNDS) {
  const lower = Math.max(bounds.minPartSize, MIN_PART_SIZE);
  const upper = Math.min(bounds.maxPartSize, MAX_PART_SIZE);
  const size = Math.min(Math.max(wished ?? bounds.defaultPartSize, lower), upper);
  if (Math.ceil(fileSize / size) <= MAX_PARTS) return size;
  return Math.ceil(Math.ceil(fileSize / MAX_PARTS) / MIB) * MIB;
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
