// Time and size formatting. Times are shown in the browser's time zone with seconds, and typed
// as "YYYY-MM-DD HH:MM:SS" in that zone (or anything Date.parse reads, e.g. ISO-8601 with Z).

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** "2026-12-04 16:05:09" (local), optionally with milliseconds. */
export function time(ms, withMillis = false) {
  if (ms == null || Number.isNaN(ms)) return "—";
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMillis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** For file names: "20261204T160509Z" (UTC). */
export function compactUtc(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Parses a typed time (local "YYYY-MM-DD HH:MM[:SS[.mmm]]", ISO, or epoch seconds). */
export function parseTime(text) {
  const t = text.trim();
  if (/^\d{9,}(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const m = t.match(/^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?$/);
  if (m) {
    return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0),
      +((m[7] || "0").padEnd(3, "0"))).getTime();
  }
  const parsed = Date.parse(t);
  return Number.isNaN(parsed) ? null : parsed;
}

export function bytes(n) {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** An ingest rate: "76 KiB/s · 1.6 frag/s" ("0 B/s" when nothing arrived). */
export function rate(bytesPerSecond, fragmentsPerSecond) {
  if (!bytesPerSecond) return "0 B/s";
  return `${bytes(bytesPerSecond)}/s · ${fragmentsPerSecond.toFixed(1)} frag/s`;
}

export function duration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Escapes text for innerHTML templates. */
export function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
