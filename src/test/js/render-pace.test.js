// node --test: the upload list's repaint pace (ui/render-pace.js) on a hand-moved clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { paced } from '../../main/resources/META-INF/resources/js/ui/render-pace.js';

/** A clock whose time, timers and animation frames move only when the test says so. */
function handClock() {
  let now = 0;
  let timers = [];
  let frames = [];
  return {
    performance: { now: () => now },
    setTimeout: (fn, ms) => { const timer = { fn, at: now + ms }; timers.push(timer); return timer; },
    clearTimeout: (timer) => { timers = timers.filter((t) => t !== timer); },
    requestAnimationFrame: (fn) => { frames.push(fn); },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.fn());
    },
    frame() { const run = frames; frames = []; run.forEach((fn) => fn()); },
    pending: () => ({ timers: timers.length, frames: frames.length }),
  };
}

test('progress repaints at most once per interval, and the last change is always shown', () => {
  const clock = handClock();
  let renders = 0;
  const pace = paced(() => { renders += 1; }, 250, clock);
  pace.soon();
  clock.frame();
  assert.equal(renders, 1, 'the first change shows on the next frame');
  for (let ms = 0; ms < 240; ms += 10) {
    pace.soon();
    clock.advance(10);
    clock.frame();
  }
  assert.equal(renders, 1, '24 progress events within 250 ms repaint nothing more');
  clock.advance(20);
  clock.frame();
  assert.equal(renders, 2, 'the changes of the interval show once it is over');
  clock.advance(1000);
  clock.frame();
  assert.equal(renders, 2, 'nothing changed, nothing repainted');
  assert.deepEqual(clock.pending(), { timers: 0, frames: 0 });
});

test('a change of state repaints on the next frame, without waiting for the interval', () => {
  const clock = handClock();
  let renders = 0;
  const pace = paced(() => { renders += 1; }, 250, clock);
  pace.soon();
  clock.frame();
  pace.soon(); // progress: waits for the interval
  clock.advance(10);
  pace.now(); // done: shows at once, and the waiting progress repaint is dropped
  clock.frame();
  assert.equal(renders, 2);
  clock.advance(500);
  clock.frame();
  assert.equal(renders, 2);
  assert.deepEqual(clock.pending(), { timers: 0, frames: 0 });
});
