// How many parts may be in flight: each one sits in the page's memory while it is hashed and sent.

/** Chromium, Firefox and Safari open at most 6 HTTP/1.1 connections per host. */
export const HOST_CONNECTION_LIMIT = 6;

const MIB = 1024 * 1024;

/** Bytes of part buffers the page allows itself: a slice of the device's memory, within sane bounds. */
export function memoryBudget(deviceMemoryGiB = navigator.deviceMemory) {
  if (!deviceMemoryGiB) return 256 * MIB;
  return Math.min(512 * MIB, Math.max(64 * MIB, (deviceMemoryGiB * 1024 * MIB) / 16));
}

/** Parts in flight for a given part size: what the budget holds, at least 1, at most the connection limit. */
export function pickConcurrency(partSize, budget = memoryBudget(), hostLimit = HOST_CONNECTION_LIMIT) {
  return Math.max(1, Math.min(hostLimit, Math.floor(budget / partSize)));
}
