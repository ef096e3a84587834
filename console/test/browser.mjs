// Drives the console in Debian's Chromium through playwright-core, one scenario per run, and
// prints one JSON object with what it saw; the it module's ConsoleBrowserTest starts the server
// and the media, runs this, and asserts on the JSON. Usage:
//   node test/browser.mjs '{"scenario":"live","baseUrl":"http://127.0.0.1:PORT",...}'
// Every scenario saves screenshots under config.screenshotDir.
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const config = JSON.parse(process.argv[2]);
const CHROMIUM = process.env.FRAMEKEEP_CHROMIUM || "/usr/bin/chromium";
/** Long enough for a loaded CI machine, short enough that a hang fails the test in time. */
const STEP_TIMEOUT_MS = 30_000;

const userDataDir = mkdtempSync(join(tmpdir(), "framekeep-chromium-"));
mkdirSync(config.screenshotDir, { recursive: true });
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required"],
  viewport: config.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
  acceptDownloads: true,
});
context.setDefaultTimeout(STEP_TIMEOUT_MS);
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on("pageerror", (e) => consoleErrors.push(String(e)));
page.on("dialog", (d) => d.accept());
if (process.env.FRAMEKEEP_BROWSER_DEBUG) {
  page.on("console", (m) => process.stderr.write(`console: ${m.text()}\n`));
  page.on("response", (r) => r.status() >= 400 && process.stderr.write(`HTTP ${r.status()} ${r.url()}\n`));
}

const shot = (name) => page.screenshot({ path: join(config.screenshotDir, `${name}.png`), fullPage: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function signIn(accessKeyId, secret) {
  await page.goto(config.baseUrl + "/");
  await page.getByLabel("Access key ID").fill(accessKeyId);
  await page.getByLabel("Secret access key").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function playbackSample() {
  return page.evaluate(() => {
    const fk = window.framekeepConsole;
    const v = fk.video;
    const q = v.getVideoPlaybackQuality();
    return { currentTime: v.currentTime, decodedFrames: q.totalVideoFrames, paused: v.paused,
      fatalErrors: fk.player.fatalErrors, delayMs: fk.player.delayMs, playingDateMs: fk.player.playingDateMs,
      mode: fk.player.mode, protocol: fk.player.protocol };
  });
}

/** Waits until the player has a playing date and has decoded frames. */
async function awaitPlaying() {
  await page.waitForFunction(() => {
    const fk = window.framekeepConsole;
    return fk && (fk.player.fatalErrors.length > 0
      || (fk.player.playingDateMs != null && fk.video.getVideoPlaybackQuality().totalVideoFrames > 0
        && fk.video.currentTime > 0));
  }, null, { timeout: STEP_TIMEOUT_MS });
}

const scenarios = {
  async signin() {
    await signIn(config.accessKeyId, config.wrongSecret);
    const error = page.locator("#signin-error");
    await error.filter({ hasText: /\S/ }).waitFor();
    const badError = await error.textContent();
    await shot("signin-bad-secret");
    await page.getByLabel("Secret access key").fill(config.secret);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#streams tbody tr").first().waitFor();
    await page.waitForFunction(() => document.querySelector("#streams-count").textContent.includes("streams"));
    const count = await page.locator("#streams-count").textContent();
    await page.waitForFunction(() => [...document.querySelectorAll("#streams td.state")]
      .some((td) => td.textContent.trim() !== "…"));
    await shot("streams");
    await page.getByLabel("Search").fill(config.search);
    const visibleAfterSearch = await page.locator("#streams tbody tr:visible").count();
    return { badError, count, visibleAfterSearch,
      rows: await page.locator("#streams tbody tr").count(),
      storedKey: await page.evaluate(() => JSON.parse(sessionStorage.getItem("framekeep.credential")).accessKeyId) };
  },

  async restricted() {
    await signIn(config.accessKeyId, config.secret);
    await page.locator("#streams tbody tr").first().waitFor();
    // Each row's actions appear once its permission probes are answered.
    await page.waitForFunction(() => [...document.querySelectorAll("#streams td.state")]
      .every((td) => td.textContent.trim() !== "…"));
    await sleep(1500);
    const result = {
      rows: await page.locator("#streams tbody tr").count(),
      deleteButtons: await page.getByRole("button", { name: /^Delete / }).count(),
      retentionButtons: await page.getByRole("button", { name: /^Change retention/ }).count(),
      createVisible: await page.locator("#create").isVisible(),
      lastCells: await page.locator("#streams td.last").allTextContents(),
      rateCells: await page.locator("#streams td.rate").allTextContents(),
    };
    await shot(`streams-${config.shotName || "restricted"}`);
    if (!config.fromText) return result;
    // A refused action shows the AWS error: the viewer may not export (no ExportClip grant).
    await page.goto(`${config.baseUrl}/#/stream/${encodeURIComponent(config.stream)}`);
    // The protocol probes are answered once the radios' labels are shown or hidden.
    await sleep(1500);
    result.dashOffered = await page.getByLabel("DASH").isVisible();
    result.hlsOffered = await page.getByLabel("HLS").isVisible();
    await page.locator("#from").fill(config.fromText);
    await page.locator("#to").fill(config.toText);
    await page.getByRole("button", { name: "Download MP4" }).click();
    await page.locator("#export-info").filter({ hasText: "failed" }).waitFor();
    result.exportRefusal = await page.locator("#export-info").textContent();
    await shot("stream-restricted");
    return result;
  },

  async live() {
    await signIn(config.accessKeyId, config.secret);
    await page.locator("#streams tbody tr").first().waitFor();
    await page.goto(`${config.baseUrl}/#/stream/${encodeURIComponent(config.stream)}`);
    if (config.protocol === "DASH") {
      // Chosen with the keyboard: Tab to the checked radio, arrow to the next one.
      await page.getByLabel("HLS").focus();
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => window.framekeepConsole.player.protocol === "DASH");
    }
    await awaitPlaying();
    const first = await playbackSample();
    await sleep(config.watchMs);
    const second = await playbackSample();
    await shot(config.protocol === "DASH" ? "stream-live-dash" : "stream-live");
    return { first, second, dashChecked: await page.getByLabel("DASH").isChecked() };
  },

  async rate() {
    await signIn(config.accessKeyId, config.secret);
    const cell = page.locator(`#streams tr[data-name="${config.stream}"] td.rate`);
    await page.waitForFunction((name) => Number(document.querySelector(
      `#streams tr[data-name="${name}"] td.rate`)?.dataset.bytesPerSecond) > 0, config.stream);
    const shown = { text: await cell.textContent(),
      bytesPerSecond: Number(await cell.getAttribute("data-bytes-per-second")) };
    await shot("streams-ingest-rate");
    // The column is refreshed while the page stays open.
    const refreshed = await page.waitForFunction(({ name, before }) => {
      const td = document.querySelector(`#streams tr[data-name="${name}"] td.rate`);
      return td.textContent !== before ? td.textContent : null;
    }, { name: config.stream, before: shown.text }, { timeout: 15_000 }).then((h) => h.jsonValue(), () => null);
    const idle = await page.locator(`#streams tr[data-name="${config.idleStream}"] td.rate`).textContent();
    return { shown, refreshed, idle,
      header: await page.locator("#streams thead th").allTextContents() };
  },

  async timeline() {
    await signIn(config.accessKeyId, config.secret);
    await page.locator("#streams tbody tr").first().waitFor();
    await page.goto(`${config.baseUrl}/#/stream/${encodeURIComponent(config.stream)}`);
    const canvas = page.locator("canvas.timeline");
    await page.waitForFunction(() => document.querySelector("canvas.timeline").timeline?.spans.length > 0);
    // What was drawn: the spans, and the colour of the canvas pixels at given instants.
    const drawn = await page.evaluate(({ probes }) => {
      const c = document.querySelector("canvas.timeline");
      const t = c.timeline;
      const g = c.getContext("2d");
      const dpr = c.width / c.clientWidth;
      const colourAt = (ms) => {
        const x = Math.round(t.xOf(ms) * dpr);
        const [r, gr, b] = g.getImageData(x, Math.round(30 * dpr), 1, 1).data;
        return `${r},${gr},${b}`;
      };
      return { spans: t.spans, view: { ...t.view },
        colours: Object.fromEntries(probes.map((ms) => [String(ms), colourAt(ms)])) };
    }, { probes: config.probesMs });
    // Hover over media: a thumbnail from GetImages appears in the tip.
    const hoverX = await page.evaluate((ms) => document.querySelector("canvas.timeline").timeline.xOf(ms), config.hoverMs);
    if (process.env.FRAMEKEEP_BROWSER_DEBUG) await page.evaluate(() => { const c = document.querySelector("canvas.timeline"); for (const t of ["pointerleave", "pointerenter", "pointerdown"]) c.addEventListener(t, (e) => console.log(t, e.offsetX, e.offsetY)); });
    await canvas.hover({ position: { x: hoverX, y: 30 } });
    await page.waitForFunction(() => !document.querySelector(".tip-img").hidden
      || document.querySelector("canvas.timeline").timeline.thumbnailError);
    const thumbnailError = await page.evaluate(() => document.querySelector("canvas.timeline").timeline.thumbnailError);
    if (thumbnailError) throw new Error(`no thumbnail: ${thumbnailError}`);
    await page.waitForFunction(() => document.querySelector(".tip-img").naturalWidth > 0);
    const thumbnail = await page.evaluate(() => {
      const img = document.querySelector(".tip-img");
      return { width: img.naturalWidth, height: img.naturalHeight, jpeg: img.src.startsWith("data:image/jpeg;base64,") };
    });
    await shot("stream-timeline-hover");
    // Click just after the gap: replay from there.
    const x = await page.evaluate((ms) => document.querySelector("canvas.timeline").timeline.xOf(ms), config.clickMs);
    await canvas.click({ position: { x, y: 30 } }); // scrolls the canvas into view first
    await page.waitForFunction(() => window.framekeepConsole.player.mode === "LIVE_REPLAY"
      || window.framekeepConsole.player.fatalErrors.length > 0);
    await awaitPlaying();
    const first = await playbackSample();
    await sleep(2000);
    const second = await playbackSample();
    await shot("stream-replay-after-gap");
    return { drawn, thumbnail, first, second };
  },

  async export() {
    await signIn(config.accessKeyId, config.secret);
    await page.locator("#streams tbody tr").first().waitFor();
    await page.goto(`${config.baseUrl}/#/stream/${encodeURIComponent(config.stream)}`);
    await page.locator("#from").fill(config.fromText);
    await page.locator("#to").fill(config.toText);
    await page.getByRole("button", { name: "List fragments" }).click();
    await page.locator("table.fragments tbody tr").first().waitFor();
    const listed = await page.locator("table.fragments tbody tr").count();
    if (config.trim === "exact") await page.getByLabel("exact").check();
    const progressSeen = page.waitForFunction(() => {
      const p = document.querySelector("#export-progress");
      return !p.hidden && p.value > 0 && p.value < 1;
    }, null, { polling: 10, timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 120_000 }),
      page.getByRole("button", { name: "Download MP4" }).click(),
    ]);
    await download.saveAs(config.savePath);
    const info = await page.locator("#export-info").textContent();
    await shot("stream-export");
    const result = { fileName: download.suggestedFilename(), listed, info, progressSeen: await progressSeen };
    if (config.exact) {
      await page.locator("#from").fill(config.exact.fromText);
      await page.locator("#to").fill(config.exact.toText);
      await page.getByLabel("exact").check();
      const [exact] = await Promise.all([
        page.waitForEvent("download", { timeout: 120_000 }),
        page.getByRole("button", { name: "Download MP4" }).click(),
      ]);
      await exact.saveAs(config.exact.savePath);
      result.exactFileName = exact.suggestedFilename();
    }
    return result;
  },

  async many() {
    const t0 = Date.now();
    await signIn(config.accessKeyId, config.secret);
    await page.waitForFunction((n) => document.querySelectorAll("#streams tbody tr").length >= n,
      config.expectedRows, { polling: 20 });
    const renderMs = Date.now() - t0;
    const t1 = Date.now();
    await page.getByLabel("Search").fill(config.search);
    await page.waitForFunction((n) => document.querySelector("#streams-count").textContent.startsWith(`${n} of`),
      config.expectedMatches, { polling: 10 });
    const searchRoundTripMs = Date.now() - t1;
    await page.waitForFunction(() => document.querySelector("#streams").dataset.filterMs);
    const searchMs = Number(await page.locator("#streams").getAttribute("data-filter-ms"));
    const visible = await page.locator("#streams tbody tr:visible").count();
    await shot("streams-many");
    return { renderMs, searchMs, searchRoundTripMs, visible, rows: await page.locator("#streams tbody tr").count() };
  },

  async phone() {
    await signIn(config.accessKeyId, config.secret);
    await page.locator("#streams tbody tr").first().waitFor();
    await page.waitForFunction(() => document.querySelector("#streams td.rate").textContent.trim() !== "…");
    await shot("phone-streams");
    const streamsScrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.goto(`${config.baseUrl}/#/stream/${encodeURIComponent(config.stream)}`);
    await page.waitForFunction(() => document.querySelector("canvas.timeline").timeline?.spans.length > 0);
    await shot("phone-stream");
    // Keyboard: Tab from the page start reaches the Watch live button and the timeline.
    const focused = [];
    await page.locator("body").focus();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      focused.push(await page.evaluate(() => {
        const e = document.activeElement;
        return e.getAttribute("aria-label") || e.labels?.[0]?.textContent.trim()
          || e.textContent.trim().slice(0, 30) || e.tagName;
      }));
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    return { focused, scrollWidth, streamsScrollWidth };
  },
};

let result;
try {
  result = { ok: true, ...(await scenarios[config.scenario]()) };
} catch (e) {
  await shot(`${config.scenario}-failure`).catch(() => {});
  result = { ok: false, error: String(e.stack || e) };
}
result.pageErrors = consoleErrors;
await context.close();
rmSync(userDataDir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(result) + "\n");
