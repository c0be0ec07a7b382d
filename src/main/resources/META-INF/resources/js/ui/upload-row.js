// One upload in the list: name, state, progress bar, figures, parts in flight, messages and its buttons.

import * as format from '../format.js';
import { describeState as describe, offers } from '../../freight-client/v1/index.js';
import { announce } from './announcer.js';
import { paced } from './render-pace.js';

const VERBS = { pause: 'Pause', resume: 'Resume', choose: 'Choose the file to resume', cancel: 'Cancel', dismiss: 'Dismiss' };

export class UploadRow {
  /** actions: {onResumeWithFile(task), onDismiss(task)} */
  constructor(task, actions) {
    this.task = task;
    this.actions = actions;
    this.lastAnnouncedTenth = -1;
    this.lastState = null;
    this.element = document.createElement('li');
    this.element.className = 'upload';
    this.element.innerHTML = `
      <div class="upload-head">
        <span class="upload-name"></span><span class="upload-size"></span><span class="badge"></span>
      </div>
      <progress max="100" value="0"></progress>
      <p class="figures"></p>
      <div class="parts"></div>
      <p class="message" hidden></p>
      <div class="actions">
        <button type="button" data-action="pause">Pause</button>
        <button type="button" data-action="resume">Resume</button>
        <button type="button" data-action="choose" class="primary">Choose file to resume…</button>
        <button type="button" data-action="cancel" class="danger">Cancel</button>
        <button type="button" data-action="dismiss" class="quiet">Dismiss</button>
      </div>`;
    this.$ = (selector) => this.element.querySelector(selector);
    this.$('.upload-name').id = `name-${crypto.randomUUID()}`;
    this.$('progress').setAttribute('aria-labelledby', this.$('.upload-name').id);
    this.$('.actions').addEventListener('click', (event) => this.act(event.target.closest('button')?.dataset.action));
    const repaint = paced(() => this.render());
    task.addEventListener('change', () => {
      if (task.state !== this.element.dataset.state) repaint.now();
      else repaint.soon();
    });
    this.render();
  }

  act(action) {
    const task = this.task;
    if (action === 'pause') task.pause();
    else if (action === 'resume') task.resume();
    else if (action === 'choose') this.actions.onResumeWithFile(task);
    else if (action === 'cancel') task.cancel();
    else if (action === 'dismiss') this.actions.onDismiss(task);
  }

  render() {
    const task = this.task;
    const { label, tone } = describe(task.state);
    const sent = task.bytesSent;
    const done = format.percent(sent, task.size);
    this.element.dataset.state = task.state;
    if (task.fileId) this.element.dataset.fileId = task.fileId;
    this.$('.upload-name').textContent = task.name;
    this.$('.upload-size').textContent = format.bytes(task.size);
    const badge = this.$('.badge');
    badge.textContent = label;
    badge.dataset.tone = tone;
    const bar = this.$('progress');
    bar.value = done;
    bar.setAttribute('aria-valuetext', `${done}% — ${label}`);

    const speed = task.speed;
    const figures = [`${format.bytes(sent)} of ${format.bytes(task.size)}`, `${done}%`];
    if (speed > 0) figures.push(format.speed(speed), `${format.duration((task.size - sent) / speed)} left`);
    this.$('.figures').textContent = figures.join(' · ');

    this.renderParts();
    this.renderMessage();
    this.renderButtons();
    this.announce(label, done);
  }

  renderParts() {
    const task = this.task;
    const parts = this.$('.parts');
    parts.replaceChildren();
    if (!task.partCount || task.state === 'done') return;
    const stored = document.createElement('span');
    stored.textContent = `${task.storedPartCount} of ${task.partCount} parts stored`;
    parts.append(stored);
    const onTheWire = task.partsOnTheWire();
    if (onTheWire.length > 0) {
      const now = document.createElement('span');
      now.textContent = ` · uploading now:`;
      parts.append(now);
      for (const [partNumber, progress] of onTheWire) {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.title = progress.phase;
        chip.textContent = progress.phase === 'sending'
          ? `#${partNumber} ${format.percent(progress.loaded, task.partLength(partNumber))}%`
          : `#${partNumber} ${progress.phase.split(' ')[0]}`;
        parts.append(chip);
      }
    }
  }

  renderMessage() {
    const task = this.task;
    const message = this.$('.message');
    let text = '';
    let kind = '';
    if (task.notice) { text = task.notice; kind = 'bad'; }
    else if (task.state === 'failed') { text = task.reason; kind = 'bad'; }
    else if (task.state === 'waiting-file') {
      text = `Stopped before it finished. Choose “${task.name}” again to send the missing parts.`;
      kind = 'warn';
    } else if (task.state === 'offline') { text = 'The browser is offline; sending continues when it is back.'; kind = 'warn'; }
    else if (task.state === 'done' && task.verification) {
      text = `Stored and verified: ${task.verification.checks.join('; ')}.`;
      kind = 'ok';
    }
    message.hidden = !text;
    message.textContent = text;
    message.className = `message ${kind}`;
    message.setAttribute('role', kind === 'bad' ? 'alert' : 'note');
  }

  renderButtons() {
    const facts = { hasFile: this.task.hasFile, hasUpload: Boolean(this.task.fileId) };
    for (const button of this.element.querySelectorAll('.actions button')) {
      const action = button.dataset.action;
      button.hidden = !offers(this.task.state, action, facts);
      button.setAttribute('aria-label', `${VERBS[action]} ${this.task.name}`);
    }
  }

  announce(label, done) {
    const name = this.task.name;
    if (this.task.state !== this.lastState) {
      this.lastState = this.task.state;
      announce(`${name}: ${label}${this.task.state === 'failed' ? `. ${this.task.reason}` : ''}`);
      return;
    }
    const tenth = Math.floor(done / 10);
    if (this.task.state === 'uploading' && tenth !== this.lastAnnouncedTenth) {
      this.lastAnnouncedTenth = tenth;
      announce(`${name}: ${done}% uploaded`, false);
    }
  }
}
