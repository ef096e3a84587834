// DASH playback through dash.js, from a Kinesis Video Streams DASH session URL
// (GetDASHStreamingSessionURL). dash.js is a bundle of its own (dash-lib.js), fetched the first
// time DASH is chosen; index.html names it (build.mjs writes the hashed name).

let loading = null;

/** dash.js, loaded once on first use. */
export function loadDashjs() {
  if (window.framekeepDashjs) return Promise.resolve(window.framekeepDashjs);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const src = document.querySelector('meta[name="framekeep-dash-script"]')?.content;
      if (!src) { reject(new Error("this console was built without dash.js")); return; }
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.framekeepDashjs);
      script.onerror = () => { loading = null; reject(new Error(`could not load ${src}`)); };
      document.head.appendChild(script);
    });
  }
  return loading;
}

/**
 * Plays {url} in {video} with dash.js; calls {onFatal(text)} on an error that stops playback.
 * @returns {{ playingDateMs: () => number|null, liveLatencyMs: () => number|null, destroy: () => void }}
 */
export async function attachDash(dashjs, video, url, live, onFatal) {
  const player = dashjs.MediaPlayer().create();
  player.updateSettings({
    streaming: {
      // Start two fragments behind the live edge, like the HLS player.
      delay: { liveDelayFragmentCount: 2 },
      buffer: { bufferTimeAtTopQuality: 12 },
    },
    debug: { logLevel: 1 }, // errors only
  });
  const events = dashjs.MediaPlayer.events;
  let destroyed = false;
  const fatal = (e) => {
    if (destroyed) return;
    const error = e.error || {};
    onFatal(`DASH error ${error.code ?? ""}: ${error.message || e.type}`.trim());
  };
  player.on(events.ERROR, fatal);
  player.on(events.PLAYBACK_ERROR, fatal);
  player.on(events.STREAM_INITIALIZED, () => {
    video.muted = true; // autoplay needs muted video; the user can unmute
    video.play().catch(() => {});
  });
  player.initialize(video, url, true);
  return {
    /** Wall-clock (UTC) time of the frame shown, for a dynamic (LIVE / LIVE_REPLAY) manifest. */
    playingDateMs() {
      try {
        if (!player.isReady() || video.currentTime === 0) return null;
        const utc = player.timeAsUTC();
        return Number.isFinite(utc) && utc > 0 ? Math.round(utc * 1000) : null;
      } catch {
        return null;
      }
    },
    liveLatencyMs() {
      const s = live ? player.getCurrentLiveLatency() : NaN;
      return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : null;
    },
    destroy() {
      destroyed = true;
      player.destroy();
    },
  };
}
