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

/**
 * The bearer token for the API when the service requires one: put there by the page that signs the user in
 * (sessionStorage, so it ends with the tab). None in dev mode, where authentication is off.
 */
export function accessToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}
