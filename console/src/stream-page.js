// One stream: the player (live, or replay from a clicked instant), the coverage timeline, export
// of a selected range as one MP4, and the fragments of that range.
import { createPlayer } from "./player.js";
import { createTimeline } from "./timeline.js";
import { startExport } from "./export.js";
import { listFragments } from "./fragments.js";
import { esc, time, parseTime } from "./format.js";

export function renderStream(main, name) {
  document.title = `${name} · Framekeep`;
  main.innerHTML = `
    <p><a href="#/">← Streams</a></p>
    <h1>${esc(name)}</h1>
    <section class="card" aria-labelledby="player-title">
      <div class="row between wrap">
        <h2 id="player-title">Player</h2>
        <div class="row">
          <button type="button" id="go-live">Watch live</button>
          <button type="button" id="stop">Stop</button>
        </div>
      </div>
      <video id="video" controls muted playsinline></video>
      <div class="player-lines">
        <p id="player-info" class="muted" aria-live="polite"></p>
        <p id="player-error" class="error" role="alert"></p>
      </div>
    </section>
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <div id="timeline"></div>
    </section>
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <form id="export-form" class="inline">
        <label>From <input id="from" name="from" required placeholder="YYYY-MM-DD HH:MM:SS" spellcheck="false"></label>
        <label>To <input id="to" name="to" required placeholder="YYYY-MM-DD HH:MM:SS" spellcheck="false"></label>
        <fieldset class="inline">
          <legend>Cut</legend>
          <label><input type="radio" name="trim" value="fragments" checked> whole fragments</label>
          <label><input type="radio" name="trim" value="exact"> exact</label>
        </fieldset>
        <button type="submit" id="export">Download MP4</button>
        <button type="button" id="list">List fragments</button>
      </form>
      <progress id="export-progress" max="1" value="0" hidden></progress>
      <p id="export-info" class="muted" aria-live="polite"></p>
    </section>
    <section class="card" aria-labelledby="fragments-title">
      <h2 id="fragments-title">Fragments in the range</h2>
      <div id="fragments" class="table-wrap"><p class="muted">Select a range on the timeline or type one above.</p></div>
    </section>`;

  const $ = (sel) => main.querySelector(sel);
  const player = createPlayer($("#video"),
    (text) => { $("#player-info").textContent = text; $("#player-error").textContent = ""; },
    (text) => { $("#player-error").textContent = text; });
  const video = $("#video");
  const timeline = createTimeline($("#timeline"), name, {
    onPlay: (ms) => {
      timeline.setPlayPosition(ms);
      $("#player-info").textContent = `Replay from ${time(ms)}…`;
      player.start(name, "LIVE_REPLAY", ms);
    },
    onSelect: (startMs, endMs) => {
      $("#from").value = time(startMs, true);
      $("#to").value = time(endMs, true);
      showFragments(startMs, endMs);
    },
  });
  timeline.fit();

  const range = () => {
    const startMs = parseTime($("#from").value);
    const endMs = parseTime($("#to").value);
    if (startMs == null || endMs == null || endMs < startMs) {
      $("#export-info").textContent = "Give a start and an end time, the end after the start.";
      return null;
    }
    timeline.setSelection(startMs, endMs);
    return { startMs, endMs };
  };
  const showFragments = (startMs, endMs) => listFragments($("#fragments"), name, startMs, endMs);

  $("#go-live").addEventListener("click", () => {
    timeline.setPlayPosition(null);
    $("#player-info").textContent = "Starting live…";
    player.start(name, "LIVE");
  });
  $("#stop").addEventListener("click", () => {
    player.stop();
    video.removeAttribute("src");
    $("#player-info").textContent = "Stopped.";
  });
  $("#list").addEventListener("click", () => {
    const r = range();
    if (r) showFragments(r.startMs, r.endMs);
  });
  let exporting = null;
  $("#export-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const r = range();
    if (!r || exporting) return;
    const trim = new FormData(e.target).get("trim");
    exporting = startExport(name, r.startMs, r.endMs, trim, $("#export-progress"), $("#export-info"));
    exporting.finally(() => { exporting = null; });
  });

  // Live playback starts at once: what a user opening a camera expects.
  player.start(name, "LIVE");
  // For the browser tests: the player's state.
  window.framekeepConsole = { player: player.state, video };
  const refresh = setInterval(() => timeline.refresh(), 10_000);
  return () => { clearInterval(refresh); player.stop(); };
}
