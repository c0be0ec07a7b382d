// How often the upload list repaints. Progress events arrive many times a second for every part in flight;
// repainting on every animation frame cost CPU the upload needs (headless Chromium without GPU, 1 GiB: renderer
// 5.8 -> 4.9 and GPU process 0.8 -> 0.6 CPU-s per GiB, bench section 7). People read progress a few times a
// second, so the figures move at that pace, and a change of state (done, failed, paused) still shows at once.

/** Calls {@code render} at most once per {@code intervalMs} for {@code soon()}, on the next frame for {@code now()}. */
export function paced(render, intervalMs = 250, clock = globalThis) {
  let timer = null;
  let last = -Infinity;
  let frame = false;
  const onFrame = () => {
    frame = false;
    last = clock.performance.now();
    render();
  };
  const toFrame = () => {
    if (frame) return;
    frame = true;
    clock.requestAnimationFrame(onFrame);
  };
  return {
    soon() {
      if (timer !== null || frame) return;
      const wait = last + intervalMs - clock.performance.now();
      if (wait <= 0) toFrame();
      else timer = clock.setTimeout(() => { timer = null; toFrame(); }, wait);
    },
    now() {
      if (timer !== null) {
        clock.clearTimeout(timer);
        timer = null;
      }
      toFrame();
    },
  };
}
