// node --test: the one table of upload states (upload-states.js): what each state allows and which buttons it shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ALL_STATES, describe, offers } from '../src/upload-states.js';

const withFile = { hasFile: true, hasUpload: true };
const noFile = { hasFile: false, hasUpload: true };
const neverStarted = { hasFile: true, hasUpload: false };

test('moving states are active and pausable until completing; stopped states swallow the errors of the stop', () => {
  const active = ALL_STATES.filter((state) => describe(state).active);
  assert.deepEqual(active, ['hashing', 'starting', 'uploading', 'offline', 'completing', 'verifying']);
  assert.deepEqual(ALL_STATES.filter((state) => describe(state).pausable), ['hashing', 'starting', 'uploading', 'offline']);
  assert.deepEqual(ALL_STATES.filter((state) => describe(state).resumable), ['waiting-file', 'paused', 'failed']);
  assert.deepEqual(ALL_STATES.filter((state) => describe(state).stopped), ['paused', 'cancelling', 'cancelled']);
  assert.deepEqual(ALL_STATES.filter((state) => !describe(state).inTotal), ['cancelling', 'cancelled']);
  assert.deepEqual(describe('waiting-file'), { label: 'Unfinished', tone: 'warn', active: false, pausable: false,
    resumable: true, stopped: false, inTotal: true });
  assert.throws(() => describe('flying'), /Unknown upload state: flying/);
});

test('every state has a label; buttons follow the state and whether the file and the upload are known', () => {
  for (const state of ALL_STATES) assert.ok(describe(state).label, state);
  const shown = (state, facts) => ['pause', 'resume', 'choose', 'cancel', 'dismiss'].filter((a) => offers(state, a, facts));
  assert.deepEqual(shown('uploading', withFile), ['pause', 'cancel']);
  assert.deepEqual(shown('offline', withFile), ['pause', 'cancel']);
  assert.deepEqual(shown('paused', withFile), ['resume', 'cancel']);
  assert.deepEqual(shown('waiting-file', noFile), ['choose', 'cancel']);
  assert.deepEqual(shown('failed', withFile), ['resume', 'cancel']);
  assert.deepEqual(shown('failed', noFile), ['choose', 'cancel']);
  assert.deepEqual(shown('failed', neverStarted), ['resume', 'dismiss']);
  assert.deepEqual(shown('done', withFile), ['dismiss']);
  assert.deepEqual(shown('cancelled', withFile), ['dismiss']);
  for (const state of ['hashing', 'starting', 'completing', 'verifying', 'cancelling']) assert.deepEqual(shown(state, withFile), []);
});
