// node --test: the page's token for the API (settings.js): the stored one, and a fresh one from the host app after
// the service refused it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { authorization } from '../../main/resources/META-INF/resources/js/settings.js';

function fakeBrowser(token) {
  const stored = new Map(token ? [['freight.accessToken', token]] : []);
  globalThis.sessionStorage = { getItem: (key) => stored.get(key) ?? null, setItem: (key, value) => stored.set(key, value) };
  globalThis.window = new EventTarget();
  return stored;
}

test('the stored token is sent as a bearer token; none stored, none sent', async () => {
  fakeBrowser('abc');
  assert.equal(await authorization({}), 'Bearer abc');
  fakeBrowser(null);
  assert.equal(await authorization(), null);
});

test('after a refusal the host app is asked (an event) and the fresh token it stores is used', async () => {
  fakeBrowser('expired');
  let asked = 0;
  window.addEventListener('freight:token-refused', () => {
    asked += 1;
    setTimeout(() => sessionStorage.setItem('freight.accessToken', 'fresh'), 5);
  });
  assert.equal(await authorization({ refused: 'Bearer expired' }), 'Bearer fresh');
  assert.equal(asked, 1);
  // Another request refused with the old token meanwhile: the fresh one is there already, nobody is asked.
  assert.equal(await authorization({ refused: 'Bearer expired' }), 'Bearer fresh');
  assert.equal(asked, 1);
});
