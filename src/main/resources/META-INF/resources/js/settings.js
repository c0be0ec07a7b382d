// The user's settings, kept in localStorage.

const AUTHOR_KEY = 'freight.author';
const PART_SIZE_KEY = 'freight.partSize';

export function authorName() {
  return localStorage.getItem(AUTHOR_KEY)?.trim() || 'me';
}

export function setAuthorName(name) {
  localStorage.setItem(AUTHOR_KEY, name.trim() || 'me');
}

/** Part size to wish for at init: `?part_size=` or localStorage, else the service's default (null). */
export function wishedPartSize() {
  const wished = new URLSearchParams(location.search).get('part_size') ?? localStorage.getItem(PART_SIZE_KEY);
  const value = Number(wished);
  return Number.isInteger(value) && value > 0 ? value : null;
}

const TOKEN_KEY = 'freight.accessToken';
/** How long a refused token waits for the host app to store a fresh one, and how often it looks. */
const RENEWAL_WAIT_MS = 60_000;
const RENEWAL_LOOK_MS = 100;

/**
 * The bearer token for the API when the service requires one: put there by the page that signs the user in
 * (sessionStorage, so it ends with the tab). None in dev mode, where authentication is off.
 */
export function accessToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

const bearer = () => (accessToken() ? `Bearer ${accessToken()}` : null);

/**
 * The Authorization header value (api.js's provider): `Bearer <the stored token>`, or null. After the service
 * refused `refused` (401, e.g. the token expired mid-upload; null: none was sent) it asks the host app for a fresh token, with a
 * `freight:token-refused` event on window, unless one is stored already, and resolves once a fresh one is stored
 * (or after a minute, with what is stored then).
 */
export async function authorization({ refused } = {}) {
  if (refused === undefined || bearer() !== refused) return bearer();
  window.dispatchEvent(new CustomEvent('freight:token-refused'));
  const deadline = Date.now() + RENEWAL_WAIT_MS;
  while (bearer() === refused && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RENEWAL_LOOK_MS));
  }
  return bearer();
}
