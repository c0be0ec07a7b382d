// Speaks progress and state changes to screen readers through one polite live region.

let region;
let last = 0;

export function initAnnouncer(element) {
  region = element;
}

/** Announces `text`; routine progress (`urgent` false) at most every few seconds so readers are not flooded. */
export function announce(text, urgent = true) {
  if (!region) return;
  const now = Date.now();
  if (!urgent && now - last < 4000) return;
  last = now;
  region.textContent = text;
}
