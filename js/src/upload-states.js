// Every state an upload can be in and what each one allows: the one table the task, its row and the summary read.

/**
 * label, tone: what the row's badge says and how it looks.
 * active: the upload is moving (counted as active in the summary, its speed counts).
 * pausable / resumable: pause() / resume() act in this state.
 * stopped: stopped on purpose; errors of requests aborted by the stop are not failures.
 * inTotal: counted in the summary's bytes (a cancelled upload is not).
 * actions: the buttons the row shows, each with the condition it needs beyond the state
 *   (t: {hasFile, hasUpload}: the file is at hand; the service knows the upload).
 */
const STATES = {
  'waiting-file': { label: 'Unfinished', tone: 'warn', resumable: true, actions: { choose: always, cancel: hasUpload } },
  hashing: { label: 'Hashing', active: true, pausable: true },
  starting: { label: 'Starting', active: true, pausable: true },
  uploading: { label: 'Uploading', active: true, pausable: true, actions: { pause: always, cancel: hasUpload } },
  offline: { label: 'Offline — waiting', tone: 'warn', active: true, pausable: true, actions: { pause: always, cancel: hasUpload } },
  paused: { label: 'Paused', tone: 'warn', resumable: true, stopped: true, actions: { resume: hasFile, cancel: hasUpload } },
  completing: { label: 'Completing', active: true },
  verifying: { label: 'Verifying', active: true },
  done: { label: 'Done', tone: 'ok', actions: { dismiss: always } },
  failed: {
    label: 'Failed', tone: 'bad', resumable: true,
    actions: { resume: hasFile, choose: (t) => !t.hasFile && t.hasUpload, cancel: hasUpload, dismiss: (t) => !t.hasUpload },
  },
  cancelling: { label: 'Cancelling', tone: 'warn', stopped: true, inTotal: false },
  cancelled: { label: 'Cancelled', tone: 'bad', stopped: true, inTotal: false, actions: { dismiss: always } },
};

function always() { return true; }
function hasFile(t) { return t.hasFile; }
function hasUpload(t) { return t.hasUpload; }

/** The facts of `state` (see STATES), with every flag present; throws on a state not in the table. */
export function describe(state) {
  const facts = STATES[state];
  if (!facts) throw new Error(`Unknown upload state: ${state}`);
  return {
    label: facts.label, tone: facts.tone ?? '', active: Boolean(facts.active), pausable: Boolean(facts.pausable),
    resumable: Boolean(facts.resumable), stopped: Boolean(facts.stopped), inTotal: facts.inTotal ?? true,
  };
}

/** Whether the row shows `action`'s button for an upload in `state` with these facts ({hasFile, hasUpload}). */
export function offers(state, action, facts) {
  const condition = STATES[state]?.actions?.[action];
  return Boolean(condition && condition(facts));
}

export const ALL_STATES = Object.freeze(Object.keys(STATES));
