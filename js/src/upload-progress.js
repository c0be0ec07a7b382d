// How far one upload got: the parts storage holds, the parts on the wire now, bytes sent and the speed.

import { RateMeter } from './rate-meter.js';

export class UploadProgress {
  /** @param bytesStoredHint bytes storage holds by the service's last word, shown until the parts are known */
  constructor(bytesStoredHint = 0, meter = new RateMeter()) {
    /** Parts storage holds: n -> {etag, size, checksum}. */
    this.stored = new Map();
    /** Parts on a connection now: n -> {phase, loaded}. */
    this.inFlight = new Map();
    this.bytesStoredHint = bytesStoredHint;
    this.meter = meter;
  }

  /** Replaces what storage holds with the service's status answer (uploaded_parts). */
  learn(uploadedParts) {
    this.stored.clear();
    for (const part of uploadedParts) {
      this.stored.set(part.part_number, { etag: part.etag, size: part.size, checksum: part.checksum_sha256 ?? null });
    }
  }

  partStored(partNumber, etag, size, checksum) {
    this.stored.set(partNumber, { etag, size, checksum });
    this.inFlight.delete(partNumber);
  }

  holds(partNumber) { return this.stored.has(partNumber); }

  /** Part numbers 1..partCount storage does not hold. */
  missing(partCount) {
    const missing = [];
    for (let n = 1; n <= partCount; n++) if (!this.stored.has(n)) missing.push(n);
    return missing;
  }

  /** Part ETags 1..partCount as storage answered them (undefined where unknown). */
  etags(partCount) {
    return Array.from({ length: partCount }, (_, i) => this.stored.get(i + 1)?.etag);
  }

  /**
   * Complete's parts 1..partCount: each with its ETag and, for a checksummed upload, its SHA-256 (the page's own
   * digest, else the one storage reported).
   */
  completeParts(partCount, ownDigests = {}, checksummed = true) {
    return Array.from({ length: partCount }, (_, i) => {
      const n = i + 1;
      const part = this.stored.get(n);
      const checksum = ownDigests?.[n] ?? part.checksum;
      return { part_number: n, etag: part.etag, ...(checksum && checksummed ? { checksum_sha256: checksum } : {}) };
    });
  }

  sending(partNumber, progress) { this.inFlight.set(partNumber, progress); }

  settled(partNumber) { this.inFlight.delete(partNumber); }

  stopSending() { this.inFlight.clear(); }

  /** Parts on the wire as [partNumber, {phase, loaded}], by part number. */
  onTheWire() {
    return [...this.inFlight].sort((a, b) => a[0] - b[0]);
  }

  /** Bytes storage holds plus bytes of parts on the wire now, at most `size`. */
  bytesSent(size) {
    if (this.stored.size === 0 && this.inFlight.size === 0) return this.bytesStoredHint;
    let sent = 0;
    for (const part of this.stored.values()) sent += part.size;
    for (const part of this.inFlight.values()) sent += part.loaded;
    return Math.min(sent, size);
  }

  /** Notes the bytes sent now, for the speed. */
  measure(size, now) { this.meter.record(this.bytesSent(size), now); }

  restartMeter() { this.meter.reset(); }

  speed(now) { return this.meter.rate(now); }
}
