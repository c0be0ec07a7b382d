// Files behind FileSystemFileHandles (File System Access API, Chromium): kept in IndexedDB with an upload, a handle
// lets a resume after a browser restart read the file again without asking the user to find it.

/**
 * The file behind `handle` when the browser lets this page read it, else null (no handle, moved, deleted, refused).
 * With `ask` the browser may ask the user (Chromium needs a click or key press for that); without, only a
 * permission already granted counts.
 */
export async function fileFromHandle(handle, { ask = false } = {}) {
  if (!handle) return null;
  try {
    let permission = await handle.queryPermission?.({ mode: 'read' });
    if (permission !== 'granted' && ask) permission = await handle.requestPermission?.({ mode: 'read' });
    return permission === 'granted' ? await handle.getFile() : null;
  } catch {
    return null;
  }
}
