// Getting files from the user: the button, the file input and drag and drop, with file handles where the
// browser has them (so a resume after a restart need not ask for the file again).

import { fileFromHandle } from '../../freight-client/v1/index.js';

/** Calls onFiles([{file, handle}]) for every pick or drop. */
export function initFilePicker({ button, input, dropzone, onFiles }) {
  button.addEventListener('click', async () => {
    if (!window.showOpenFilePicker) return input.click();
    try {
      const handles = await window.showOpenFilePicker({ multiple: true });
      onFiles(await Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle }))));
    } catch (error) {
      if (error.name !== 'AbortError') input.click();
    }
  });
  input.addEventListener('change', () => {
    onFiles([...input.files].map((file) => ({ file, handle: null })));
    input.value = '';
  });

  dropzone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropzone.classList.add('dragging');
  });
  dropzone.addEventListener('dragleave', () => dropzone.classList.remove('dragging'));
  dropzone.addEventListener('drop', async (event) => {
    event.preventDefault();
    dropzone.classList.remove('dragging');
    // Handles must be asked for before the first await: the item list is gone afterwards.
    const items = [...event.dataTransfer.items].filter((item) => item.kind === 'file');
    const picks = items.map((item) => ({
      file: item.getAsFile(),
      handle: item.getAsFileSystemHandle ? item.getAsFileSystemHandle().catch(() => null) : Promise.resolve(null),
    }));
    const resolved = await Promise.all(picks.map(async ({ file, handle }) => {
      const fileHandle = await handle;
      return { file, handle: fileHandle?.kind === 'file' ? fileHandle : null };
    }));
    onFiles(resolved.filter(({ file }) => file));
  });
}

/** Asks for one file (a resume): a stored handle when permitted, else the file dialog. Resolves {file, handle} or null. */
export async function pickOne(input, handle) {
  // Moved, deleted or refused: the dialog.
  const file = await fileFromHandle(handle, { ask: true });
  if (file) return { file, handle };
  return new Promise((resolve) => {
    const finish = (pick) => {
      input.removeEventListener('change', onChange);
      input.removeEventListener('cancel', onCancel);
      input.value = '';
      resolve(pick);
    };
    const onChange = () => finish(input.files[0] ? { file: input.files[0], handle: null } : null);
    const onCancel = () => finish(null);
    input.addEventListener('change', onChange);
    input.addEventListener('cancel', onCancel);
    input.click();
  });
}
