// "Your files": the author's uploaded files, each downloadable through a presigned URL.

import * as format from '../format.js';

/** @param api the uploader's FreightApi */
export async function renderUploadedFiles(api, { table, status }, authorName) {
  status.textContent = 'Loading…';
  let uploads = [];
  try {
    let token = null;
    do {
      const page = await api.listUploads(authorName, 'uploaded', token);
      uploads = uploads.concat(page.uploads);
      token = page.next_token;
    } while (token && uploads.length < 500);
  } catch (error) {
    status.textContent = `Could not load your files: ${error.message}`;
    return;
  }
  const body = table.querySelector('tbody');
  body.replaceChildren(...uploads.map((upload) => row(api, upload)));
  table.hidden = uploads.length === 0;
  status.textContent = uploads.length === 0 ? `No uploaded files by “${authorName}” yet.` : '';
}

function row(api, upload) {
  const tr = document.createElement('tr');
  tr.dataset.fileId = upload.file_id;
  const cells = [upload.filename, format.bytes(upload.file_size), format.dateTime(upload.completed_at)];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  const action = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Download';
  button.setAttribute('aria-label', `Download ${upload.filename}`);
  button.addEventListener('click', () => download(api, upload, button));
  action.append(button);
  tr.append(action);
  return tr;
}

async function download(api, upload, button) {
  button.disabled = true;
  try {
    const link = await api.downloadLink(upload.file_id);
    // Storage answers with Content-Disposition: attachment, so the browser saves it under the original name.
    // Only an http(s) URL is followed: never javascript:, data: or anything else an answer might carry.
    const url = new URL(link.url, location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The download link is not an http(s) URL');
    const anchor = document.createElement('a');
    anchor.href = url.href;
    anchor.download = link.filename;
    anchor.rel = 'noopener';
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } catch (error) {
    button.textContent = 'Retry download';
    button.title = error.message;
  } finally {
    button.disabled = false;
  }
}
