// Drives the console in Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Firefox's
// own remote protocol: no patched browser build is needed) and prints one JSON object with what
// it saw; the it module's ConsoleFirefoxTest starts the server and the media, runs this, and
// asserts on the JSON. Usage:
//   node test/firefox.mjs '{"baseUrl":"http://127.0.0.1:PORT","stream":"...",...}'
// Screenshots go to config.screenshotDir as firefox-*.png.
import puppeteer from "puppeteer-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const config = JSON.parse(process.argv[2]);
const FIREFOX = process.env.FRAMEKEEP_FIREFOX || "/usr/bin/firefox-esr";
/** Long enough for a loaded CI machine, short enough that a hang fails the test in time. */
const STEP_TIMEOUT_MS = 30_000;

mkdirSync(config.screenshotDir, { recursive: true });
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: FIREFOX,
  headless: true,
  defaultViewport: { width: 1280, height: 900 },
  // Muted autoplay is allowed by default; these keep a CI run from reaching out to the network.
  extraPrefsFirefox: {
    "media.autoplay.default": 0,
    "app.update.enabled": false,
    "browser.safebrowsing.downloads.remote.enabled": false,
    "network.captive-portal-service.enabled": false,
  },
});
const page = await browser.newPage();
page.setDefaultTimeout(STEP_TIMEOUT_MS);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
const shot = (name) => page.screenshot({ path: join(config.screenshotDir, `${name}.png`), fullPage: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function playbackSample() {
  return page.evaluate(() => {
    const fk = window.framekeepConsole;
    const v = fk.video;
    return { currentTime: v.currentTime, decodedFrames: v.getVideoPlaybackQuality().totalVideoFrames,
      fatalErrors: fk.player.fatalErrors, mode: fk.player.mode, protocol: fk.player.protocol,
      delayMs: fk.player.delayMs };
  });
}

async function scenario() {
  await page.goto(config.baseUrl + "/");
  await page.locator("#access-key").fill(config.accessKeyId);
  await page.locator("#secret-key").fill(config.secret);
  await page.locator("button[type=submit]").click();
  // Streams page: the rows, and the ingest rate of the stream being uploaded.
  await page.waitForFunction((name) => Number(document.querySelector(
    `#streams tr[data-name="${name}"] td.rate`)?.dataset.bytesPerSecond) > 0, {}, config.stream);
  const streams = await page.evaluate((name) => ({
    rows: document.querySelectorAll("#streams tbody tr").length,
    rate: document.querySelector(`#streams tr[data-name="${name}"] td.rate`).textContent,
    state: document.querySelector(`#streams tr[data-name="${name}"] td.state`).textContent.trim(),
  }), config.stream);
  await shot("firefox-streams");

  // The stream page: live playback starts by itself.
  await page.evaluate((name) => { location.hash = `#/stream/${encodeURIComponent(name)}`; }, config.stream);
  await page.waitForFunction(() => {
    const fk = window.framekeepConsole;
    return fk && (fk.player.fatalErrors.length > 0
      || (fk.video.getVideoPlaybackQuality().totalVideoFrames > 0 && fk.video.currentTime > 0));
  });
  const first = await playbackSample();
  await sleep(config.watchMs);
  const second = await playbackSample();

  // The timeline: what was drawn in the middle of the last span (media) and at the view's start
  // (before the media: fit() leaves a margin there).
  await page.waitForFunction(() => document.querySelector("canvas.timeline").timeline?.spans.length > 0);
  const timeline = await page.evaluate(() => {
    const c = document.querySelector("canvas.timeline");
    const t = c.timeline;
    const g = c.getContext("2d");
    const dpr = c.width / c.clientWidth;
    const colourAtX = (x) => {
      const [r, gr, b] = g.getImageData(Math.round(x * dpr), Math.round(30 * dpr), 1, 1).data;
      return `${r},${gr},${b}`;
    };
    const last = t.spans[t.spans.length - 1];
    return { spans: t.spans.length, media: colourAtX(t.xOf((last.startMs + last.endMs) / 2)),
      beforeMedia: colourAtX(2), firstSpanX: t.xOf(t.spans[0].startMs) };
  });
  await shot("firefox-stream");
  return { userAgent: await browser.version(), streams, first, second, timeline };
}

let result;
try {
  result = { ok: true, ...(await scenario()) };
} catch (e) {
  await shot("firefox-failure").catch(() => {});
  result = { ok: false, error: String(e.stack || e) };
}
result.pageErrors = pageErrors;
await browser.close();
process.stdout.write(JSON.stringify(result) + "\n");
