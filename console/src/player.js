// One <video> played from a Kinesis Video Streams session URL: HLS through hls.js, or DASH through
// dash.js (dash-engine.js); LIVE, or LIVE_REPLAY / ON_DEMAND from a chosen instant. Session URLs
// come from GetHLSStreamingSessionURL / GetDASHStreamingSessionURL at the stream's data endpoint
// (GetDataEndpoint), as for any KVS client.
import Hls from "hls.js";
import { call } from "./api.js";
import { attachDash, loadDashjs } from "./dash-engine.js";

/** How often the delay behind live is recomputed and shown. */
const DELAY_REFRESH_MS = 500;

/**
 * @param {HTMLVideoElement} video
 * @param {(text: string) => void} onInfo delay / position line
 * @param {(text: string) => void} onError fatal errors, with the AWS, hls.js or dash.js message
 */
export function createPlayer(video, onInfo, onError) {
  let hls = null;
  let dash = null;
  let timer = null;
  let mode = null;
  let generation = 0;
  // For tests and troubleshooting: what the player is doing, read by the browser tests.
  const state = { mode: null, protocol: null, fatalErrors: [], delayMs: null, playingDateMs: null, url: null };

  function stop() {
    generation++;
    if (timer) clearInterval(timer);
    timer = null;
    if (hls) hls.destroy();
    hls = null;
    if (dash) dash.destroy();
    dash = null;
    state.mode = mode = null;
  }

  function fail(text) {
    state.fatalErrors.push(text);
    onError(`Playback stopped: ${text}`);
    stop();
  }

  /** @param {"HLS"|"DASH"} protocol */
  async function start(streamName, playbackMode, startMs, protocol = "HLS") {
    stop();
    const mine = generation;
    state.fatalErrors = [];
    state.delayMs = state.playingDateMs = null;
    mode = playbackMode;
    state.mode = mode;
    state.protocol = protocol;
    const dashChosen = protocol === "DASH";
    try {
      const api = dashChosen ? "GET_DASH_STREAMING_SESSION_URL" : "GET_HLS_STREAMING_SESSION_URL";
      const { DataEndpoint } = await call("/getDataEndpoint", { StreamName: streamName, APIName: api });
      const endpointPath = new URL(DataEndpoint).pathname.replace(/\/$/, "");
      const selector = playbackMode === "LIVE"
        ? { FragmentSelectorType: "SERVER_TIMESTAMP" }
        : { FragmentSelectorType: "PRODUCER_TIMESTAMP",
            TimestampRange: { StartTimestamp: startMs / 1000,
              ...(playbackMode === "ON_DEMAND" ? { EndTimestamp: startMs / 1000 + 3 * 3600 } : {}) } };
      const dashLib = dashChosen ? loadDashjs() : null;
      const url = dashChosen
        ? (await call(`${endpointPath}/getDASHStreamingSessionURL`, {
          StreamName: streamName, PlaybackMode: playbackMode, DASHFragmentSelector: selector,
          DisplayFragmentTimestamp: "ALWAYS", Expires: 3600,
        })).DASHStreamingSessionURL
        : (await call(`${endpointPath}/getHLSStreamingSessionURL`, {
          StreamName: streamName, PlaybackMode: playbackMode, HLSFragmentSelector: selector,
          ContainerFormat: "FRAGMENTED_MP4", DisplayFragmentTimestamp: "ALWAYS",
          DiscontinuityMode: "ON_DISCONTINUITY", Expires: 3600,
        })).HLSStreamingSessionURL;
      const dashjs = dashLib ? await dashLib : null;
      if (mine !== generation) return; // stopped or restarted meanwhile
      state.url = url;
      if (dashChosen) await attachDashPlayer(dashjs, url, playbackMode === "LIVE", mine);
      else attachHls(url, playbackMode === "LIVE");
    } catch (e) {
      if (mine !== generation) return;
      if (playbackMode === "LIVE" && e.name === "ResourceNotFoundException") {
        // Not an error of the console's: the stream has had no fragment in the last 30 s.
        onInfo(`Not live now (${e.message}) Click the timeline to play the archive.`);
        return;
      }
      onError(`${e.name}: ${e.message}`);
      state.fatalErrors.push(`${e.name}: ${e.message}`);
    }
  }

  function attachHls(url, live) {
    if (!Hls.isSupported()) {
      onError("This browser has no Media Source Extensions: HLS cannot play here.");
      return;
    }
    hls = new Hls({
      lowLatencyMode: false,
      liveSyncDurationCount: 2, // start two fragments behind the live edge
      liveMaxLatencyDurationCount: 6,
      backBufferLength: 30,
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) {
        fail(`${data.type}: ${data.details}${data.response ? ` (HTTP ${data.response.code})` : ""}`);
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      video.muted = true; // autoplay needs muted video; the user can unmute
      video.play().catch(() => {});
    });
    follow(live, () => (hls && hls.playingDate ? hls.playingDate.getTime() : null), () => null, "HLS");
  }

  async function attachDashPlayer(dashjs, url, live, mine) {
    if (!window.MediaSource && !window.ManagedMediaSource) {
      onError("This browser has no Media Source Extensions: DASH cannot play here.");
      return;
    }
    const engine = await attachDash(dashjs, video, url, live, fail);
    if (mine !== generation) { engine.destroy(); return; }
    dash = engine;
    follow(live, () => (dash ? dash.playingDateMs() : null), () => (dash ? dash.liveLatencyMs() : null), "DASH");
  }

  /** Shows the delay behind live (or the replay position) every DELAY_REFRESH_MS. */
  function follow(live, playingDate, latency, label) {
    timer = setInterval(() => {
      const date = playingDate();
      state.playingDateMs = date;
      if (date == null) return;
      if (live) {
        state.delayMs = latency() ?? Date.now() - date;
        onInfo(`Live (${label}) · ${(state.delayMs / 1000).toFixed(1)} s behind live`);
      } else {
        onInfo(`Replay (${label}) · ${new Date(date).toLocaleString()}`);
      }
    }, DELAY_REFRESH_MS);
  }

  return { start, stop, state };
}
