// IndexedDB records of unfinished uploads, so they survive closing the tab or the browser.
// A record: {fileId, name, size, type, lastModified, fingerprint, partSize, partCount, authorName, startedAt,
// partDigests: {partNumber: base64 SHA-256}, idempotencyKey (the init's Idempotency-Key), handle?: FileSystemFileHandle}.

const DB_NAME = 'freight';
const STORE = 'uploads';

let opening;

function database() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'fileId' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function run(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export const saveRecord = (record) => run('readwrite', (store) => store.put(record));

export const allRecords = () => run('readonly', (store) => store.getAll());

export const removeRecord = (fileId) => run('readwrite', (store) => store.delete(fileId));

/** Remembers one sent part's digest (for the whole-object checksum after a resume). */
export function savePartDigest(fileId, partNumber, digest) {
  return run('readwrite', (store) => {
    const read = store.get(fileId);
    read.onsuccess = () => {
      if (read.result) {
        read.result.partDigests = { ...read.result.partDigests, [partNumber]: digest };
        store.put(read.result);
      }
    };
    return read;
  });
}
