// One <video> played through hls.js from a Kinesis Video Streams HLS session URL: LIVE, or
// LIVE_REPLAY / ON_DEMAND from a chosen instant. Session URLs come from
// GetHLSStreamingSessionURL at the stream's data endpoint (GetDataEndpoint), as for any KVS client.
import Hls from "hls.js";
import { call } from "./api.js";

/** How often the delay behind live is recomputed and shown. */
const DELAY_REFRESH_MS = 500;

/**
 * @param {HTMLVideoElement} video
 * @param {(text: string) => void} onInfo delay / position line
 * @param {(text: string) => void} onError fatal errors, with the AWS or hls.js message
 */
export function createPlayer(video, onInfo, onError) {
  let hls = null;
  let timer = null;
  let mode = null;
  // For tests and troubleshooting: what the player is doing, read by the browser tests.
  const state = { mode: null, fatalErrors: [], delayMs: null, playingDateMs: null, url: null };

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    if (hls) hls.destroy();
    hls = null;
    state.mode = mode = null;
  }

  async function start(streamName, playbackMode, startMs) {
    stop();
    state.fatalErrors = [];
    state.delayMs = state.playingDateMs = null;
    mode = playbackMode;
    state.mode = mode;
    try {
      const { DataEndpoint } = await call("/getDataEndpoint",
        { StreamName: streamName, APIName: "GET_HLS_STREAMING_SESSION_URL" });
      const endpointPath = new URL(DataEndpoint).pathname.replace(/\/$/, "");
      const selector = playbackMode === "LIVE"
        ? { FragmentSelectorType: "SERVER_TIMESTAMP" }
        : { FragmentSelectorType: "PRODUCER_TIMESTAMP",
            TimestampRange: { StartTimestamp: startMs / 1000,
              ...(playbackMode === "ON_DEMAND" ? { EndTimestamp: startMs / 1000 + 3 * 3600 } : {}) } };
      const { HLSStreamingSessionURL } = await call(`${endpointPath}/getHLSStreamingSessionURL`, {
        StreamName: streamName, PlaybackMode: playbackMode, HLSFragmentSelector: selector,
        ContainerFormat: "FRAGMENTED_MP4", DisplayFragmentTimestamp: "ALWAYS",
        DiscontinuityMode: "ON_DISCONTINUITY", Expires: 3600,
      });
      if (mode !== playbackMode) return; // stopped or restarted meanwhile
      state.url = HLSStreamingSessionURL;
      attach(HLSStreamingSessionURL, playbackMode === "LIVE");
    } catch (e) {
      if (playbackMode === "LIVE" && e.name === "ResourceNotFoundException") {
        // Not an error of the console's: the stream has had no fragment in the last 30 s.
        onInfo(`Not live now (${e.message}) Click the timeline to play the archive.`);
        return;
      }
      onError(`${e.name}: ${e.message}`);
      state.fatalErrors.push(`${e.name}: ${e.message}`);
    }
  }

  function attach(url, live) {
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
        const text = `${data.type}: ${data.details}${data.response ? ` (HTTP ${data.response.code})` : ""}`;
        state.fatalErrors.push(text);
        onError(`Playback stopped: ${text}`);
        stop();
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      video.muted = true; // autoplay needs muted video; the user can unmute
      video.play().catch(() => {});
    });
    timer = setInterval(() => {
      const date = hls && hls.playingDate ? hls.playingDate.getTime() : null;
      state.playingDateMs = date;
      if (date == null) return;
      if (live) {
        state.delayMs = Date.now() - date;
        onInfo(`Live · ${(state.delayMs / 1000).toFixed(1)} s behind live`);
      } else {
        onInfo(`Replay · ${new Date(date).toLocaleString()}`);
      }
    }, DELAY_REFRESH_MS);
  }

  return { start, stop, state };
}
