// One stream: the player (live, or replay from a clicked instant), the coverage timeline, export
// of a selected range as one MP4, and the fragments of that range.
import { createPlayer } from "./player.js";
import { createTimeline } from "./timeline.js";
import { startExport } from "./export.js";
import { listFragments } from "./fragments.js";
import { may } from "./api.js";
import { esc, time, parseTime } from "./format.js";

export function renderStream(main, name) {
  document.title = `${name} · Framekeep`;
  main.innerHTML = `
    <p><a href="#/">← Streams</a></p>
    <h1>${esc(name)}</h1>
    <section class="card" aria-labelledby="player-title">
      <div class="row between wrap">
        <h2 id="player-title">Player</h2>
        <div class="row wrap">
          <fieldset id="protocol" class="inline">
            <legend>Protocol</legend>
            <label><input type="radio" name="protocol" value="HLS" checked> HLS</label>
            <label><input type="radio" name="protocol" value="DASH"> DASH</label>
          </fieldset>
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
  // What plays now, so that choosing the other protocol plays the same thing through it.
  let playing = { mode: "LIVE", startMs: undefined };
  const protocol = () => main.querySelector('input[name="protocol"]:checked').value;
  const play = (mode, startMs) => {
    playing = { mode, startMs, protocolAtStart: protocol() };
    player.start(name, mode, startMs, protocol());
  };
  const timeline = createTimeline($("#timeline"), name, {
    onPlay: (ms) => {
      timeline.setPlayPosition(ms);
      $("#player-info").textContent = `Replay from ${time(ms)}…`;
      play("LIVE_REPLAY", ms);
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
    play("LIVE");
  });
  $("#protocol").addEventListener("change", () => {
    sessionStorage.setItem(PROTOCOL_KEY, protocol());
    $("#player-info").textContent = `Switching to ${protocol()}…`;
    play(playing.mode, playing.startMs);
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

  // Live playback starts at once, through the protocol chosen last (HLS unless DASH was): what a
  // user opening a camera expects. A protocol the principal may not use is not offered.
  const remembered = main.querySelector(`input[name="protocol"][value="${sessionStorage.getItem(PROTOCOL_KEY) === "DASH" ? "DASH" : "HLS"}"]`);
  remembered.checked = true;
  play("LIVE");
  offerPermittedProtocols(main, name, () => {
    if (protocol() !== playing.protocolAtStart) play(playing.mode, playing.startMs);
  });
  // For the browser tests: the player's state.
  window.framekeepConsole = { player: player.state, video };
  const refresh = setInterval(() => timeline.refresh(), 10_000);
  return () => { clearInterval(refresh); player.stop(); };
}

/** The protocol chosen last, kept for the tab like the credential. */
const PROTOCOL_KEY = "framekeep.protocol";

/**
 * Hides HLS or DASH when the principal may not start such a session for this stream (a probe
 * naming the stream with an invalid PlaybackMode: refused for permission first, see api.js), and
 * moves the choice to the other one; {onChange} runs when the choice moved.
 */
async function offerPermittedProtocols(main, name, onChange) {
  const fieldset = main.querySelector("#protocol");
  const probe = (op) => may(`/${op}`, { StreamName: name, PlaybackMode: "" });
  const [hls, dash] = await Promise.all([probe("getHLSStreamingSessionURL"), probe("getDASHStreamingSessionURL")]);
  if (!fieldset.isConnected) return; // the page was left meanwhile
  const input = (value) => fieldset.querySelector(`input[value="${value}"]`);
  input("HLS").closest("label").hidden = !hls;
  input("DASH").closest("label").hidden = !dash;
  fieldset.hidden = !(hls && dash);
  const chosen = fieldset.querySelector("input:checked");
  const other = chosen.value === "HLS" ? input("DASH") : input("HLS");
  if (!chosen.closest("label").hidden || other.closest("label").hidden) return;
  other.checked = true;
  onChange();
}
