// Wires the page: settings, file picking, the upload list, restoring unfinished uploads, and "Your files". The
// uploads themselves are the @freight/client package's, as the service serves it (docs/clients.md).

import { createUploader } from '../freight-client/v1/index.js';
import * as settings from './settings.js';
import { announce, initAnnouncer } from './ui/announcer.js';
import { initFilePicker, pickOne } from './ui/file-picker.js';
import { renderOverall } from './ui/overall.js';
import { paced } from './ui/render-pace.js';
import { renderUploadedFiles } from './ui/uploaded-files.js';
import { UploadRow } from './ui/upload-row.js';

const $ = (id) => document.getElementById(id);
const uploader = createUploader({ authorization: settings.authorization });
const tasks = [];
/** Each task's row in the list. */
const rows = new Map();

initAnnouncer($('announcer'));

const authorInput = $('author-name');
authorInput.value = settings.authorName();
authorInput.addEventListener('change', () => {
  settings.setAuthorName(authorInput.value);
  authorInput.value = settings.authorName();
  refreshFiles();
  findUnfinishedOnServer();
});

initFilePicker({
  button: $('choose-files'),
  input: $('file-input'),
  dropzone: $('dropzone'),
  onFiles: (picks) => {
    for (const { file, handle } of picks) {
      addTask(uploader.add(file, { handle, authorName: settings.authorName(), partSize: settings.wishedPartSize() }));
    }
    if (picks.length) announce(`${picks.length} file${picks.length > 1 ? 's' : ''} added`);
  },
});

function addTask(task) {
  tasks.push(task);
  const row = new UploadRow(task, { onResumeWithFile: resumeWithFile, onDismiss: dismiss });
  $('uploads').prepend(row.element);
  rows.set(task, row);
  task.addEventListener('change', scheduleOverall);
  task.addEventListener('statechange', (event) => {
    if (event.detail === 'done') refreshFiles();
  });
  updateEmpty();
  scheduleOverall();
}

function dismiss(task) {
  tasks.splice(tasks.indexOf(task), 1);
  rows.get(task).element.remove();
  rows.delete(task);
  uploader.remove(task);
  updateEmpty();
  scheduleOverall();
}

async function resumeWithFile(task) {
  const pick = await pickOne($('resume-input'), task.handle);
  if (!pick) return;
  try {
    await task.attachFile(pick.file, pick.handle);
  } catch (error) {
    task.showNotice(error.message);
    announce(error.message);
  }
}

function updateEmpty() {
  $('uploads-empty').hidden = tasks.length > 0;
}

const overall = paced(() => renderOverall($('overall'), tasks));
function scheduleOverall() {
  overall.soon();
}
// Speeds decay to zero when nothing moves; refresh the figures now and then (the uploader tells the rows).
setInterval(scheduleOverall, 1000);

function refreshFiles() {
  renderUploadedFiles(uploader.api, { table: $('files'), status: $('files-status') }, settings.authorName());
}
$('refresh-files').addEventListener('click', refreshFiles);

/** The uploads learn of the network themselves (the uploader); the banner says it to the user. */
function showNetwork() {
  $('network-banner').hidden = navigator.onLine;
}
window.addEventListener('online', showNetwork);
window.addEventListener('offline', showNetwork);

/** Uploads this browser started and did not finish: listed with how far storage got. */
async function restoreUnfinished() {
  for (const task of await uploader.restore()) addTask(task);
}

/** Unfinished uploads of this author that this browser has no record of (another browser, cleared storage). */
async function findUnfinishedOnServer() {
  try {
    for (const task of await uploader.findUnfinished(settings.authorName())) addTask(task);
  } catch {
    // The list is a convenience; uploads recorded in this browser are shown anyway.
  }
}

showNetwork();
refreshFiles();
restoreUnfinished().then(findUnfinishedOnServer).finally(() => document.body.dataset.ready = 'true');
