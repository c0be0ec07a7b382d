// The one rule for every failed request of an upload (API calls and part PUTs alike): what to do next.
// Modelled on Uppy's single shouldRetry: a transient failure waits and tries again, an expired URL is signed
// again, storage refusing a part's bytes gets one fresh read and hash, anything else is final.

import { ApiError } from './api.js';
import { backoffDelay, sleep, waitUntilOnline } from './backoff.js';
import { PartSendError } from './part-sender.js';

export const LIMITS = Object.freeze({
  /** Attempts in all for transient failures (no answer, 429, 5xx). */
  transient: 8,
  /** URLs signed again after storage refused one (403, e.g. "Request has expired"). */
  resign: 3,
  /** Fresh reads and hashes after storage refused a part (400, e.g. BadDigest, InvalidRequest). */
  rehash: 1,
});

const RETRY_BASE_MS = 500;

export const newTally = () => ({ retry: 0, resign: 0, rehash: 0 });

/**
 * Decides what follows `error`, given how often each remedy was already tried (`tally`):
 * {action: 'retry', delayMs} | {action: 'resign'} | {action: 'rehash'} | {action: 'wait-online'} |
 * {action: 'fail', error} (the error to report: an ApiError as it came, so callers can read its status).
 */
export function shouldRetry(error, tally, { online = true } = {}) {
  if (error instanceof PartSendError) {
    if (error.kind === 'expired') {
      return tally.resign < LIMITS.resign ? { action: 'resign' }
        : fail(`${error.message}, also with ${tally.resign} freshly signed URLs`, error);
    }
    if (error.kind === 'refused') {
      return tally.rehash < LIMITS.rehash ? { action: 'rehash' } : fail(error.message, error);
    }
    if (error.kind === 'transient') return transient(error, tally, online, null);
    return fail(error.message, error);
  }
  if (error instanceof ApiError && error.transient) return transient(error, tally, online, error.retryAfterSeconds);
  return { action: 'fail', error };
}

function transient(error, tally, online, retryAfterSeconds) {
  if (!online) return { action: 'wait-online' };
  if (tally.retry + 1 >= LIMITS.transient) return fail(`failed ${tally.retry + 1} times: ${error.message}`, error);
  return { action: 'retry', delayMs: retryAfterSeconds ? retryAfterSeconds * 1000 : backoffDelay(tally.retry, RETRY_BASE_MS) };
}

function fail(message, cause) {
  return { action: 'fail', error: new Error(message, { cause }) };
}

/**
 * Runs `attempt(previousError)` until it succeeds, the policy says fail (then throws the policy's error), or
 * `signal` aborts (then throws the last error). `onRemedy(decision, error)` runs before the next attempt, so the
 * caller can drop what the remedy replaces (a URL to sign again, a digest to compute again).
 */
export async function retrying(attempt, { signal, onRemedy } = {}) {
  const tally = newTally();
  let previous = null;
  for (;;) {
    try {
      return await attempt(previous);
    } catch (error) {
      if (signal?.aborted) throw error;
      const decision = shouldRetry(error, tally, { online: globalThis.navigator?.onLine ?? true });
      if (decision.action === 'fail') throw decision.error;
      if (decision.action in tally) tally[decision.action] += 1;
      await onRemedy?.(decision, error);
      if (decision.action === 'wait-online') await waitUntilOnline(signal);
      else if (decision.delayMs) await sleep(decision.delayMs, signal);
      if (signal?.aborted) throw error;
      previous = error;
    }
  }
}
