// Human-readable sizes, speeds and durations.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(count) {
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

export const speed = (bytesPerSecond) => (bytesPerSecond > 0 ? `${bytes(bytesPerSecond)}/s` : '–');

export function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '–';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export const percent = (done, total) => (total > 0 ? Math.floor((done / total) * 100) : 0);

export const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');
