// Upload speed over the last few seconds, for the speed and time-left figures.

export class RateMeter {
  constructor(windowMs = 5000) {
    this.windowMs = windowMs;
    this.samples = [];
  }

  /** Records the total bytes sent so far. */
  record(totalBytes, now = performance.now()) {
    this.samples.push({ at: now, bytes: totalBytes });
    while (this.samples.length > 2 && now - this.samples[0].at > this.windowMs) this.samples.shift();
  }

  reset() {
    this.samples = [];
  }

  /** Bytes per second over the window up to now (so a stall shows as a falling rate), or 0 until there is enough to say. */
  rate(now = performance.now()) {
    while (this.samples.length > 1 && now - this.samples[0].at > this.windowMs) this.samples.shift();
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (now - first.at) / 1000;
    return seconds < 0.5 ? 0 : Math.max(0, (last.bytes - first.bytes) / seconds);
  }
}
