// How many parts may be in flight: the browser's connections per host, and the memory their buffers may take.

/** Chromium, Firefox and Safari open at most 6 HTTP/1.1 connections per host. */
export const HOST_CONNECTION_LIMIT = 6;

const MIB = 1024 * 1024;

/** Bytes of part buffers the page allows itself: a slice of the device's memory, within sane bounds. */
export function memoryBudget(deviceMemoryGiB = globalThis.navigator?.deviceMemory) {
  if (!deviceMemoryGiB) return 256 * MIB;
  return Math.min(512 * MIB, Math.max(64 * MIB, (deviceMemoryGiB * 1024 * MIB) / 16));
}
