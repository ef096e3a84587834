// The coverage timeline: a canvas drawing where a stream has media (spans from the /getCoverage
// extension, fetched again for each view) and the gaps between, fragment density per pixel, an
// axis, the export selection and the playback position. Drag selects a range; a click plays from
// that instant; the wheel, the buttons and the keyboard zoom and pan; hovering shows the time and,
// over media, a thumbnail from GetImages.
import { call } from "./api.js";
import { time } from "./format.js";

/** The narrowest view: a minute, where single 1 s fragments are several pixels wide. */
const MIN_VIEW_MS = 60_000;
/** The widest view: 31 days. */
const MAX_VIEW_MS = 31 * 24 * 3600_000;
/** The smallest bucket the coverage endpoint accepts. */
const MIN_BUCKET_MS = 100;
/** Below this pointer travel a press is a click (play), above it a drag (select). */
const DRAG_THRESHOLD_PX = 4;
/** A view ending within this fraction of its length from now keeps following the present. */
const FOLLOW_WITHIN = 0.15;
/** Hover must rest this long before a thumbnail is fetched (GetImages decodes video). */
const THUMBNAIL_DELAY_MS = 250;
const COLORS = { gap: "#d9d9de", media: "#2e8540", density: "#1b5e20", select: "rgba(30, 90, 200, 0.28)",
  axis: "#333", play: "#c62828", hover: "#000" };

export function createTimeline(root, streamName, { onPlay, onSelect }) {
  root.innerHTML = `
    <div class="row wrap timeline-controls" role="group" aria-label="Timeline zoom and position">
      <button type="button" data-zoom="3600000">1 h</button>
      <button type="button" data-zoom="21600000">6 h</button>
      <button type="button" data-zoom="86400000">24 h</button>
      <button type="button" data-zoom="604800000">7 d</button>
      <button type="button" data-act="in" aria-label="Zoom in">+</button>
      <button type="button" data-act="out" aria-label="Zoom out">−</button>
      <button type="button" data-act="left" aria-label="Earlier">◀</button>
      <button type="button" data-act="right" aria-label="Later">▶</button>
      <button type="button" data-act="now">Now</button>
      <span class="muted range-label" aria-live="polite"></span>
    </div>
    <div class="timeline-box">
      <canvas class="timeline" tabindex="0" role="img"
        aria-label="Coverage timeline. Arrow keys pan, plus and minus zoom, Enter plays from the middle."></canvas>
      <div class="tip" hidden><div class="tip-time"></div><img class="tip-img" alt=""></div>
    </div>
    <p class="muted legend"><span class="swatch media"></span> media <span class="swatch gap"></span> no media
      <span class="swatch sel"></span> selection · drag to select, click to play</p>`;
  const canvas = root.querySelector("canvas");
  const tip = root.querySelector(".tip");
  const label = root.querySelector(".range-label");
  const view = { startMs: Date.now() - 3600_000, endMs: Date.now() };
  let coverage = { spans: [], counts: [], bucketMs: 1, startMs: 0, truncated: false };
  let selection = null;
  let playMs = null;
  let request = 0;
  let hoverTimer = null;
  let thumbnailError = null;
  /** Whether the view's end follows the present (set when a view ends near now). */
  let following = false;

  const widthPx = () => canvas.clientWidth || 600;
  const xOf = (ms) => ((ms - view.startMs) / (view.endMs - view.startMs)) * widthPx();
  const msOf = (x) => view.startMs + (x / widthPx()) * (view.endMs - view.startMs);

  async function fetchCoverage() {
    const mine = ++request;
    const bucketMs = Math.max(MIN_BUCKET_MS, Math.ceil((view.endMs - view.startMs) / widthPx()));
    try {
      const c = await call("/getCoverage", {
        StreamName: streamName, TimestampType: "PRODUCER_TIMESTAMP",
        StartTimestamp: view.startMs / 1000, EndTimestamp: view.endMs / 1000,
        BucketSizeInMillis: bucketMs,
      });
      if (mine !== request) return;
      coverage = {
        spans: c.Spans.map((s) => ({ startMs: Math.round(s.StartTimestamp * 1000),
          endMs: Math.round(s.EndTimestamp * 1000), fragments: s.FragmentCount })),
        counts: c.FragmentCounts, bucketMs: c.BucketSizeInMillis, startMs: view.startMs,
        truncated: c.SpansTruncated,
      };
      label.textContent = `${time(view.startMs)} – ${time(view.endMs)}`
        + (coverage.truncated ? " (too many gaps to list: zoom in)" : "");
    } catch (e) {
      label.textContent = `${e.name}: ${e.message}`;
    }
    draw();
  }

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const w = widthPx();
    const h = canvas.clientHeight || 90;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const barTop = 8;
    const barH = h - 34;
    g.fillStyle = COLORS.gap;
    g.fillRect(0, barTop, w, barH);
    g.fillStyle = COLORS.media;
    for (const s of coverage.spans) {
      const x0 = Math.max(0, xOf(s.startMs));
      const x1 = Math.min(w, xOf(s.endMs));
      if (x1 > x0) g.fillRect(x0, barTop, Math.max(1, x1 - x0), barH);
    }
    // Gaps are kept at least one pixel wide, so a short gap on a long view still shows.
    g.fillStyle = COLORS.gap;
    for (let i = 1; i < coverage.spans.length; i++) {
      const x0 = xOf(coverage.spans[i - 1].endMs);
      const x1 = xOf(coverage.spans[i].startMs);
      if (x1 - x0 < 1 && x0 >= 0 && x0 <= w) g.fillRect(Math.floor(x0), barTop, 1, barH);
    }
    drawDensity(g, barTop + barH, w);
    if (selection) {
      const a = xOf(Math.min(selection.startMs, selection.endMs));
      const b = xOf(Math.max(selection.startMs, selection.endMs));
      g.fillStyle = COLORS.select;
      g.fillRect(a, 0, Math.max(2, b - a), barTop + barH + 6);
    }
    if (playMs != null) {
      g.fillStyle = COLORS.play;
      g.fillRect(xOf(playMs) - 1, 0, 2, barTop + barH + 6);
    }
    drawAxis(g, w, h);
  }

  function drawDensity(g, bottom, w) {
    const max = coverage.counts.reduce((m, n) => Math.max(m, n), 0);
    if (!max) return;
    g.fillStyle = COLORS.density;
    coverage.counts.forEach((n, i) => {
      if (!n) return;
      const x = xOf(coverage.startMs + i * coverage.bucketMs);
      const bw = Math.max(1, xOf(coverage.startMs + (i + 1) * coverage.bucketMs) - x);
      const bh = Math.max(1, (n / max) * 6);
      if (x < w) g.fillRect(x, bottom - bh, bw, bh);
    });
  }

  function drawAxis(g, w, h) {
    const span = view.endMs - view.startMs;
    const steps = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3,
      12 * 3600e3, 86400e3, 2 * 86400e3, 7 * 86400e3];
    const step = steps.find((s) => (s / span) * w >= 90) || steps[steps.length - 1];
    const offset = new Date().getTimezoneOffset() * 60_000;
    g.fillStyle = COLORS.axis;
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "bottom";
    for (let t = Math.ceil((view.startMs - offset) / step) * step + offset; t < view.endMs; t += step) {
      const x = xOf(t);
      g.fillRect(x, h - 22, 1, 5);
      const d = new Date(t);
      const text = step >= 86400e3 ? `${d.getMonth() + 1}/${d.getDate()}`
        : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: step < 60e3 ? "2-digit" : undefined });
      g.fillText(text, Math.min(x + 2, w - 60), h - 4);
    }
  }

  function setView(startMs, endMs) {
    let len = Math.min(MAX_VIEW_MS, Math.max(MIN_VIEW_MS, endMs - startMs));
    const mid = (startMs + endMs) / 2;
    view.startMs = Math.round(mid - len / 2);
    view.endMs = Math.round(mid + len / 2);
    following = Math.abs(view.endMs - Date.now()) <= len * FOLLOW_WITHIN;
    fetchCoverage();
  }
  const zoom = (factor, aroundMs = (view.startMs + view.endMs) / 2) => {
    const len = (view.endMs - view.startMs) * factor;
    const f = (aroundMs - view.startMs) / (view.endMs - view.startMs);
    setView(aroundMs - f * len, aroundMs + (1 - f) * len);
  };
  const pan = (fraction) => {
    const d = (view.endMs - view.startMs) * fraction;
    setView(view.startMs + d, view.endMs + d);
  };

  root.querySelector(".timeline-controls").addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.zoom) setView(Date.now() - Number(b.dataset.zoom), Date.now());
    else if (b.dataset.act === "in") zoom(0.5);
    else if (b.dataset.act === "out") zoom(2);
    else if (b.dataset.act === "left") pan(-0.5);
    else if (b.dataset.act === "right") pan(0.5);
    else if (b.dataset.act === "now") {
      const len = view.endMs - view.startMs;
      setView(Date.now() - len * 0.9, Date.now() + len * 0.1);
    }
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.25 : 0.8, msOf(e.offsetX));
  }, { passive: false });
  canvas.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") pan(-0.1);
    else if (e.key === "ArrowRight") pan(0.1);
    else if (e.key === "+" || e.key === "=") zoom(0.5);
    else if (e.key === "-") zoom(2);
    else if (e.key === "Enter") onPlay(Math.round((view.startMs + view.endMs) / 2));
    else return;
    e.preventDefault();
  });

  let press = null;
  canvas.addEventListener("pointerdown", (e) => {
    press = { x: e.offsetX, ms: msOf(e.offsetX) };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (press && Math.abs(e.offsetX - press.x) > DRAG_THRESHOLD_PX) {
      selection = { startMs: press.ms, endMs: msOf(e.offsetX) };
      draw();
    }
    hover(e.offsetX);
  });
  canvas.addEventListener("pointerup", (e) => {
    if (!press) return;
    const moved = Math.abs(e.offsetX - press.x) > DRAG_THRESHOLD_PX;
    const endMs = msOf(e.offsetX);
    if (moved) {
      selection = { startMs: Math.min(press.ms, endMs), endMs: Math.max(press.ms, endMs) };
      onSelect(Math.round(selection.startMs), Math.round(selection.endMs));
    } else {
      onPlay(Math.round(press.ms));
    }
    press = null;
    draw();
  });
  canvas.addEventListener("pointerleave", () => { tip.hidden = true; clearTimeout(hoverTimer); });

  function hover(x) {
    const ms = Math.round(msOf(x)); // whole milliseconds: timestamps go out as seconds with 3 decimals
    tip.hidden = false;
    tip.style.left = `${Math.min(Math.max(0, x - 80), widthPx() - 170)}px`;
    tip.querySelector(".tip-time").textContent = time(ms);
    const img = tip.querySelector(".tip-img");
    const inMedia = coverage.spans.some((s) => ms >= s.startMs && ms < s.endMs);
    img.hidden = true;
    clearTimeout(hoverTimer);
    if (!inMedia) return;
    hoverTimer = setTimeout(async () => {
      try {
        const r = await call("/getImages", {
          StreamName: streamName, ImageSelectorType: "PRODUCER_TIMESTAMP",
          StartTimestamp: ms / 1000, EndTimestamp: ms / 1000, SamplingInterval: 200,
          Format: "JPEG", HeightPixels: 90, MaxResults: 1,
        });
        const image = r.Images?.[0];
        if (image?.ImageContent && !tip.hidden) {
          img.src = `data:image/jpeg;base64,${image.ImageContent}`;
          img.hidden = false;
        } else if (image?.Error) {
          thumbnailError = image.Error;
        }
      } catch (e) {
        // No thumbnail (no permission, nothing decodable): the time alone is shown.
        thumbnailError = `${e.name}: ${e.message}`;
      }
    }, THUMBNAIL_DELAY_MS);
  }

  const resize = new ResizeObserver(() => draw());
  resize.observe(canvas);
  // For the browser tests: the view and what was drawn.
  canvas.timeline = { view, get spans() { return coverage.spans; }, xOf, msOf,
    get thumbnailError() { return thumbnailError; } };

  return {
    /** Fits the view to the stream's media in the last 7 days (at most its last hour). */
    async fit() {
      const now = Date.now();
      try {
        const c = await call("/getCoverage", { StreamName: streamName, TimestampType: "PRODUCER_TIMESTAMP",
          StartTimestamp: (now - 7 * 86400e3) / 1000, EndTimestamp: (now + 60e3) / 1000,
          BucketSizeInMillis: 7 * 86400e3 });
        if (c.Spans.length) {
          const lastEnd = c.Spans[c.Spans.length - 1].EndTimestamp * 1000;
          let first = c.Spans[0].StartTimestamp * 1000;
          first = Math.max(first, lastEnd - 3600e3);
          const margin = Math.max(5e3, (lastEnd - first) * 0.05);
          setView(first - margin, lastEnd + margin);
          return;
        }
      } catch {
        // fall through to the last hour
      }
      setView(now - 3600e3, now);
    },
    setSelection(startMs, endMs) { selection = startMs == null ? null : { startMs, endMs }; draw(); },
    setPlayPosition(ms) { playMs = ms; draw(); },
    /** Fetches the coverage again; a view that follows the present slides to keep up with it. */
    refresh() {
      if (following) {
        const len = view.endMs - view.startMs;
        view.endMs = Date.now() + Math.round(len * 0.05);
        view.startMs = view.endMs - len;
      }
      fetchCoverage();
    },
  };
}
