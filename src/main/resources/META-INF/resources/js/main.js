// Wires the page: settings, file picking, the upload list, restoring unfinished uploads, and "Your files".

import * as api from './api.js';
import * as settings from './settings.js';
import { PartScheduler } from './part-scheduler.js';
import { allRecords, removeRecord } from './resume-store.js';
import { UploadTask } from './upload-task.js';
import { announce, initAnnouncer } from './ui/announcer.js';
import { initFilePicker, pickOne } from './ui/file-picker.js';
import { renderOverall } from './ui/overall.js';
import { paced } from './ui/render-pace.js';
import { renderUploadedFiles } from './ui/uploaded-files.js';
import { UploadRow } from './ui/upload-row.js';

const $ = (id) => document.getElementById(id);
const scheduler = new PartScheduler();
const tasks = [];
/** Each task's row in the list. */
const rows = new Map();

initAnnouncer($('announcer'));
api.setAuthorizationProvider(settings.authorization);

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
      const task = new UploadTask(scheduler, { file, handle });
      addTask(task);
      task.start(settings.authorName(), settings.wishedPartSize());
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
// Speeds decay to zero when nothing moves; refresh the figures now and then.
setInterval(() => {
  scheduleOverall();
  for (const task of tasks) task.tick();
}, 1000);

function refreshFiles() {
  renderUploadedFiles({ table: $('files'), status: $('files-status') }, settings.authorName());
}
$('refresh-files').addEventListener('click', refreshFiles);

function showNetwork() {
  $('network-banner').hidden = navigator.onLine;
  for (const task of tasks) task.networkChanged(navigator.onLine);
}
window.addEventListener('online', showNetwork);
window.addEventListener('offline', showNetwork);

/** Uploads this browser started and did not finish: listed with how far storage got. */
async function restoreUnfinished() {
  let records = [];
  try {
    records = await allRecords();
  } catch {
    return;
  }
  for (const record of records.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    let status;
    try {
      status = await api.uploadStatus(record.fileId);
    } catch (error) {
      if (error.status === 404) await removeRecord(record.fileId);
      else addDormant(record, null);
      continue;
    }
    // Completing: storage is still assembling it; resuming waits for that and verifies the object.
    if (['uploading', 'completing'].includes(status.upload_status)) addDormant(record, status);
    else await removeRecord(record.fileId);
  }
}

/** Unfinished uploads of this author that this browser has no record of (another browser, cleared storage). */
async function findUnfinishedOnServer() {
  try {
    // Every page: the owner's quota bounds how many there can be.
    const unfinished = [];
    let token = null;
    do {
      const page = await api.listUploads(settings.authorName(), 'uploading', token);
      unfinished.push(...page.uploads);
      token = page.next_token;
    } while (token && unfinished.length < 1000);
    for (const summary of unfinished.reverse()) {
      if (tasks.some((task) => task.fileId === summary.file_id)) continue;
      const status = await api.uploadStatus(summary.file_id);
      if (status.upload_status !== 'uploading') continue;
      addDormant({
        fileId: status.file_id, name: status.filename, size: status.file_size, type: status.file_type,
        lastModified: status.metadata?.last_modified ? Number(status.metadata.last_modified) : null,
        fingerprint: status.metadata?.fingerprint ?? null, partSize: status.part_size, partCount: status.part_count,
        authorName: status.author_name, startedAt: status.created_at, partDigests: {},
      }, status);
    }
  } catch {
    // The list is a convenience; uploads recorded in this browser are shown anyway.
  }
}

function addDormant(record, status) {
  addTask(new UploadTask(scheduler, { record, status }));
}

showNetwork();
refreshFiles();
restoreUnfinished().then(findUnfinishedOnServer).finally(() => document.body.dataset.ready = 'true');
