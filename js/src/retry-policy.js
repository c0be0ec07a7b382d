// The one rule for every failed request of an upload (API calls and part PUTs alike), and the one loop that
// applies it. Modelled on Uppy's single shouldRetry: an expired URL is signed again, a 429/503 pauses every request
// of the page, no answer waits (for the network, when the browser is offline) and tries again, a refused token is
// asked for again, storage refusing a part's bytes gets one fresh read and hash; any other 4xx is final.

import { ApiError } from './api.js';
import { backoffDelay, pageThrottle, sleep, waitUntilOnline } from './backoff.js';
import { PartSendError } from './part-sender.js';

export const LIMITS = Object.freeze({
  /** Attempts in all for transient failures (no answer, 408, 429, 5xx). */
  transient: 8,
  /** URLs signed again after storage refused one (403, e.g. "Request has expired"). */
  resign: 3,
  /** Fresh reads and hashes after storage refused a part (400, e.g. BadDigest, InvalidRequest). */
  rehash: 1,
  /** Fresh tokens asked of the host app after the service refused one (401). */
  reauthorize: 2,
  /** Rounds of sending parts again after complete named parts storage lacks or disowns (409 with parts). */
  resendParts: 2,
});

const RETRY_BASE_MS = 500;
/** The longest wait a Retry-After header gets (a misconfigured or hostile header must not stall an upload). */
const RETRY_AFTER_CAP_MS = 120_000;

export const newTally = () => ({ retry: 0, resign: 0, rehash: 0, reauthorize: 0, resendParts: 0 });

/**
 * Decides what follows `error`, given how often each remedy was already tried (`tally`). One of:
 * {action: 'retry', delayMs}      the same request again after a backoff (no answer, 408, 500, 502, 504)
 * {action: 'throttle', delayMs}   the whole page pauses (429, 503; Retry-After honoured), then the same request
 * {action: 'wait-online'}         the browser is offline: wait until it is back, then the same request
 * {action: 'resign'}              storage refused the URL (403): sign it again
 * {action: 'rehash'}              storage refused the part's bytes (400): read, hash and sign it again, once
 * {action: 'reauthorize'}         the service refused the token (401): ask the host app for a fresh one
 * {action: 'resend-parts'}        complete named parts storage lacks (409 with parts): send them again
 * {action: 'fail', error}         final (an ApiError as it came, so callers can read its status)
 */
export function shouldRetry(error, tally, { online = true } = {}) {
  if (error instanceof PartSendError) {
    switch (error.kind) {
      case 'expired':
        return tally.resign < LIMITS.resign ? { action: 'resign' }
          : fail(`${error.message}, also with ${tally.resign} freshly signed URLs`, error);
      case 'refused':
        return tally.rehash < LIMITS.rehash ? { action: 'rehash' } : fail(error.message, error);
      case 'transient':
        return transient(error, tally, online, null);
      default:
        return fail(error.message, error);
    }
  }
  if (error instanceof ApiError) {
    if (error.transient) return transient(error, tally, online, error.retryAfterSeconds);
    if (error.status === 401) {
      return tally.reauthorize < LIMITS.reauthorize ? { action: 'reauthorize' }
        : fail(`The service refused the sign-in (${error.message}): sign in again, then resume`, error);
    }
    if (error.status === 409 && error.problem?.parts && tally.resendParts < LIMITS.resendParts) {
      return { action: 'resend-parts' };
    }
  }
  return { action: 'fail', error };
}

function transient(error, tally, online, retryAfterSeconds) {
  if (!online) return { action: 'wait-online' };
  if (tally.retry + 1 >= LIMITS.transient) return fail(`failed ${tally.retry + 1} times: ${error.message}`, error);
  const delayMs = retryAfterSeconds ? Math.min(retryAfterSeconds * 1000, RETRY_AFTER_CAP_MS)
    : backoffDelay(tally.retry, RETRY_BASE_MS);
  return { action: error.status === 429 || error.status === 503 ? 'throttle' : 'retry', delayMs };
}

function fail(message, cause) {
  return { action: 'fail', error: new Error(message, { cause }) };
}

/** Which count of the tally a decision adds to. */
const COUNTED = { retry: 'retry', throttle: 'retry', resign: 'resign', rehash: 'rehash', reauthorize: 'reauthorize',
  'resend-parts': 'resendParts' };

/**
 * Runs `attempt(previousError, previousDecision)` until it succeeds, the policy says fail (then throws the policy's
 * error), or `signal` aborts (then throws the last error); both arguments are null on the first attempt.
 * `onRemedy(decision, error)` runs before the next attempt, so the caller can drop what the remedy replaces (a URL
 * to sign again, a digest to compute again) or do what it asks (send parts again). The waits, the page-wide pause
 * and asking `api` (the FreightApi that made the call) for a fresh token are done here.
 */
export async function retrying(attempt, { signal, onRemedy, throttle = pageThrottle, api = null } = {}) {
  const tally = newTally();
  let previous = null;
  let previousDecision = null;
  for (;;) {
    try {
      return await attempt(previous, previousDecision);
    } catch (error) {
      if (signal?.aborted) throw error;
      const decision = shouldRetry(error, tally, { online: globalThis.navigator?.onLine ?? true });
      if (decision.action === 'fail') throw decision.error;
      tally[COUNTED[decision.action]] += 1;
      await onRemedy?.(decision, error);
      if (decision.action === 'wait-online') await waitUntilOnline(signal);
      else if (decision.action === 'throttle') throttle.pauseFor(decision.delayMs);
      else if (decision.action === 'reauthorize') await api?.renewAuthorization(error.authorization);
      else if (decision.delayMs) await sleep(decision.delayMs, signal);
      await throttle.whenClear(signal);
      if (signal?.aborted) throw error;
      previous = error;
      previousDecision = decision;
    }
  }
}
