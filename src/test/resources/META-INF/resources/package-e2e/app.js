// A plain page on @freight/client, for BrowserPackageTest: picks a file, uploads it, shows the state and progress,
// and lets the test read what the events said. Restores unfinished uploads on load; a file picked while one waits
// resumes it (attachFile) instead of starting another.
import { createUploader } from '/freight-client/v1/index.js';

const partSize = Number(new URLSearchParams(location.search).get('part_size')) || null;
const tokens = [];
const uploader = createUploader({
  endpoint: location.origin,
  token: async ({ refused } = {}) => { tokens.push(refused === undefined ? 'asked' : 'refused'); return null; },
  authorName: 'package-e2e',
  partSize,
});
const seen = { states: [], progress: [], maxOnTheWire: 0, maxRate: 0, etas: 0, tokens, outcome: null, error: null };
window.freight = { uploader, seen };

function follow(upload) {
  upload.addEventListener('statechange', (event) => {
    seen.states.push(event.detail);
    document.body.dataset.state = event.detail;
  });
  upload.addEventListener('progress', (event) => {
    const { bytesSent, bytesTotal, rate, etaSeconds, partsOnTheWire, partsStored, partCount } = event.detail;
    seen.maxOnTheWire = Math.max(seen.maxOnTheWire, partsOnTheWire.filter((part) => part.phase === 'sending').length);
    seen.maxRate = Math.max(seen.maxRate, rate);
    if (etaSeconds > 0) seen.etas += 1;
    seen.last = { bytesSent, bytesTotal, partsStored, partCount };
    document.getElementById('progress').textContent = `${bytesSent} of ${bytesTotal}, ${partsStored} of ${partCount} parts`;
    document.body.dataset.partsStored = String(partsStored);
  });
  upload.result().then((outcome) => {
    seen.outcome = outcome;
    document.body.dataset.fileId = outcome.fileId;
    document.body.dataset.done = 'true';
  }, (error) => { seen.error = error.message; });
  document.body.dataset.fileId = upload.fileId ?? '';
  document.body.dataset.state = upload.state;
}

const waiting = await uploader.restore();
waiting.forEach(follow);
document.body.dataset.restored = String(waiting.length);

document.getElementById('file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  const unfinished = uploader.uploads.find((upload) => upload.state === 'waiting-file');
  if (!unfinished) {
    const upload = uploader.add(file, { metadata: { app: 'package-e2e' } });
    upload.addEventListener('statechange', () => { document.body.dataset.fileId = upload.fileId ?? ''; });
    follow(upload);
    return;
  }
  try {
    await unfinished.attachFile(file);
  } catch (error) {
    document.getElementById('state').textContent = error.message;
  }
});

/** Downloads by verified parts and answers the hex SHA-256 of what arrived (the test compares it with the file). */
window.downloadAndHash = async (fileId) => {
  const { blob, partsChecked, checksum } = await uploader.download(fileId);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return { sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), partsChecked, checksum, size: blob.size };
};
document.body.dataset.ready = 'true';
