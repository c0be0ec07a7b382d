// @freight/client: Freight's browser upload engine (the one its own page runs on). Start with createUploader; the
// rest is for apps that build their own upload list (the states table) or call the API themselves.

export { createUploader, Uploader } from './uploader.js';
export { UploadTask } from './upload-task.js';
export { ApiError, FreightApi } from './api.js';
export { downloadVerified, IntegrityError } from './download.js';
export { fileFromHandle } from './file-handles.js';
export { ALL_STATES, describe as describeState, offers } from './upload-states.js';
export { PartScheduler } from './part-scheduler.js';
export { HashPool } from './hash-pool.js';
