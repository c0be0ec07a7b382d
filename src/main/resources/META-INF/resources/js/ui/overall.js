// The summary over all uploads on the page: one bar, bytes, speed and time left.

import * as format from '../format.js';
import { describeState as describe } from '../../freight-client/v1/index.js';

export function renderOverall(section, tasks) {
  const counted = tasks.filter((task) => task.hasFile && describe(task.state).inTotal);
  const active = counted.filter((task) => describe(task.state).active);
  section.hidden = counted.length === 0;
  if (counted.length === 0) return;
  const total = counted.reduce((sum, task) => sum + task.size, 0);
  const sent = counted.reduce((sum, task) => sum + task.bytesSent, 0);
  const speed = active.reduce((sum, task) => sum + task.speed, 0);
  const done = format.percent(sent, total);
  const bar = section.querySelector('progress');
  bar.value = done;
  bar.setAttribute('aria-valuetext', `${done}%`);
  const figures = [`${format.bytes(sent)} of ${format.bytes(total)}`, `${done}%`,
    `${active.length} active, ${counted.filter((task) => task.state === 'done').length} done`];
  if (speed > 0) figures.push(format.speed(speed), `${format.duration((total - sent) / speed)} left`);
  section.querySelector('.figures').textContent = figures.join(' · ');
}
