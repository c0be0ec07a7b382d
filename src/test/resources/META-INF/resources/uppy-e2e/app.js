// An Uppy app as its authors write one, with @freight/uppy where `.use(AwsS3, {...})` was, and Golden Retriever.
// Without a Dashboard it adds the picked file (a file Golden Retriever restored as a ghost is replaced by it), then
// uploads, or, after a restart, confirms the restore so Uppy resumes its uploads. With `?dashboard` Uppy's Dashboard
// does all that: the person adds files, starts and resumes the upload and watches its progress there. Tells the test
// what Uppy's events said.
import { Dashboard, GoldenRetriever, Uppy } from './uppy.mjs';
import Freight from './freight-uppy.js';

const params = new URLSearchParams(location.search);
const partSize = Number(params.get('part_size')) || null;
const uppy = new Uppy({ id: 'freight-e2e', autoProceed: false });
if (params.has('dashboard')) {
  uppy.use(Dashboard, { inline: true, target: '#uploads', height: 400, proudlyDisplayPoweredByUppy: false });
}
uppy.use(GoldenRetriever);
uppy.use(Freight, { endpoint: location.origin, token: async () => null, authorName: 'uppy-e2e', partSize });

const seen = { progress: [], success: null, errors: [], starts: 0 };
window.e2e = { uppy, seen };
const body = document.body.dataset;
uppy.on('upload-start', (files) => { seen.starts += files.length; });
uppy.on('upload-progress', (file, progress) => {
  seen.progress.push(progress.bytesUploaded);
  body.fileId = uppy.getFile(file.id)?.freight?.fileId ?? '';
  body.bytes = String(progress.bytesUploaded);
});
uppy.on('upload-success', (file, response) => {
  seen.success = { body: response.body, status: response.status, complete: uppy.getFile(file.id).progress.uploadComplete };
  body.fileId = response.body.fileId;
  body.done = 'true';
});
uppy.on('upload-error', (file, error) => { seen.errors.push(error.message); body.error = error.message; });
uppy.on('restored', () => { body.restored = String(uppy.getFiles().length); });

document.getElementById('file').addEventListener('change', (event) => {
  const file = event.target.files[0];
  const ghost = uppy.getFiles().some((known) => known.isGhost);
  uppy.addFile({ name: file.name, type: file.type, data: file, source: 'Local', meta: { album: 'e2e' } });
  if (ghost) uppy.emit('restore-confirmed');
  else uppy.upload().catch((error) => { body.error = error.message; });
});
body.ready = 'true';
