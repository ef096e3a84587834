// The streams page: every stream (ListStreams paged to the end), a search box, create, delete
// (with confirmation) and change retention. Rows are built once; searching only hides rows, and
// the per-stream activity (last fragment, live or idle) is fetched for rows as they scroll into
// view, a few at a time, so 1,000 streams cost one listing plus the visible rows. The ingest rate
// (GetIngestRate) of the rows on screen is asked for again every RATE_REFRESH_MS.
import { call, may, limiter, ApiError } from "./api.js";
import { esc, rate, time } from "./format.js";
import { status } from "./status.js";

/** A stream whose newest fragment arrived within this long is "live" (AWS's LIVE HLS rule). */
const LIVE_WITHIN_MS = 30_000;
/** How far back the activity lookup looks for the newest fragment. */
const ACTIVITY_LOOKBACK_MS = 7 * 24 * 3600_000;
/** The largest gap tolerance the endpoint takes: a week has at most a few such spans. */
const MERGE_ALL_MS = 24 * 3600_000;
/** Lookups in flight at once: enough to fill a screen quickly, few enough for the quotas. */
const lookups = limiter(4);
/** How often the ingest rate of the rows on screen is refreshed. */
const RATE_REFRESH_MS = 5_000;
/** The window GetIngestRate averages over: a few fragments, so a stopped camera reads 0 soon. */
const RATE_WINDOW_S = 10;

export function renderStreams(main) {
  document.title = "Streams · Framekeep";
  main.innerHTML = `
    <section aria-labelledby="streams-title">
      <div class="row between">
        <h1 id="streams-title">Streams</h1>
        <label class="search">Search <input id="search" type="search" placeholder="name" spellcheck="false"></label>
      </div>
      <details id="create" class="card" hidden>
        <summary>Create a stream</summary>
        <form id="create-form" class="inline">
          <label>Name <input name="name" required pattern="[a-zA-Z0-9_.\\-]+" maxlength="256" spellcheck="false"></label>
          <label>Retention (hours) <input name="retention" type="number" min="0" max="87600" value="24" required></label>
          <label>Media type <input name="mediaType" value="video/h264" spellcheck="false"></label>
          <button type="submit">Create</button>
        </form>
      </details>
      <p id="streams-count" class="muted">Loading…</p>
      <div class="table-wrap">
      <table id="streams">
        <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Media type</th>
          <th scope="col">Retention</th><th scope="col">Last fragment</th><th scope="col">Now</th>
          <th scope="col">Ingest rate</th>
          <th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody></tbody>
      </table>
      </div>
    </section>`;
  let alive = true;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        loadActivity(entry.target, () => alive);
      }
    }
  });
  // The rows on screen now, whose rate is refreshed; rows whose rate is not permitted leave it.
  const onScreen = new Set();
  const screenObserver = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) onScreen.add(entry.target);
      else onScreen.delete(entry.target);
    }
  });
  const observe = (tr) => { observer.observe(tr); screenObserver.observe(tr); };
  const rates = setInterval(() => {
    for (const tr of onScreen) {
      if (!tr.isConnected || tr.hidden || tr.dataset.rate === "off") onScreen.delete(tr);
      else if (tr.dataset.rate === "shown") lookups(() => (alive ? loadRate(tr) : null));
    }
  }, RATE_REFRESH_MS);
  load(main, observe);
  may("/createStream", { StreamName: "", DataRetentionInHours: -1 }).then((ok) => {
    if (alive) main.querySelector("#create").hidden = !ok;
  });
  main.querySelector("#create-form").addEventListener("submit", (e) => create(e, main, observe));
  main.querySelector("#search").addEventListener("input", (e) => {
    const t0 = performance.now();
    filter(main, e.target.value);
    // For the browser tests: filtering plus the next frame's style, layout and paint.
    requestAnimationFrame(() => setTimeout(() => {
      main.querySelector("#streams").dataset.filterMs = String(Math.round(performance.now() - t0));
    }));
  });
  return () => { alive = false; observer.disconnect(); screenObserver.disconnect(); clearInterval(rates); };
}

async function load(main, observe) {
  const streams = [];
  let token;
  try {
    do {
      const page = await call("/listStreams", { MaxResults: 10000, NextToken: token });
      streams.push(...(page.StreamInfoList || []));
      token = page.NextToken;
    } while (token);
  } catch (e) {
    main.querySelector("#streams-count").textContent = `${e.name}: ${e.message}`;
    main.querySelector("#streams-count").classList.add("error");
    return;
  }
  streams.sort((a, b) => a.StreamName.localeCompare(b.StreamName));
  const body = main.querySelector("#streams tbody");
  const rows = document.createDocumentFragment();
  for (const s of streams) rows.appendChild(rowOf(s));
  body.replaceChildren(rows);
  for (const tr of body.rows) observe(tr);
  filter(main, main.querySelector("#search").value);
}

function rowOf(s) {
  const tr = document.createElement("tr");
  tr.dataset.name = s.StreamName;
  tr.dataset.arn = s.StreamARN;
  tr.dataset.version = s.Version;
  tr.dataset.retention = s.DataRetentionInHours;
  tr.innerHTML = `
    <th scope="row"><a href="#/stream/${encodeURIComponent(s.StreamName)}">${esc(s.StreamName)}</a></th>
    <td>${esc(s.Status)}</td><td>${esc(s.MediaType || "—")}</td>
    <td class="retention">${s.DataRetentionInHours} h</td>
    <td class="last">…</td><td class="state">…</td><td class="rate">…</td>
    <td class="actions"></td>`;
  return tr;
}

function filter(main, text) {
  const needle = text.trim().toLowerCase();
  let shown = 0;
  const rows = main.querySelector("#streams tbody").rows;
  for (const tr of rows) {
    const match = !needle || tr.dataset.name.toLowerCase().includes(needle);
    tr.hidden = !match;
    if (match) shown++;
  }
  main.querySelector("#streams-count").textContent =
    needle ? `${shown} of ${rows.length} streams` : `${rows.length} streams`;
}

/** Newest fragment (server time) from the coverage endpoint, and which actions are allowed. */
function loadActivity(tr, alive) {
  lookups(async () => {
    if (!alive()) return;
    const now = Date.now();
    try {
      const c = await call("/getCoverage", {
        StreamName: tr.dataset.name, TimestampType: "SERVER_TIMESTAMP",
        StartTimestamp: (now - ACTIVITY_LOOKBACK_MS) / 1000, EndTimestamp: now / 1000,
        BucketSizeInMillis: ACTIVITY_LOOKBACK_MS, GapToleranceInMillis: MERGE_ALL_MS,
      });
      const last = c.Spans?.length ? c.Spans[c.Spans.length - 1].EndTimestamp * 1000 : null;
      tr.querySelector(".last").textContent = last ? time(last) : "none in 7 days";
      const live = last != null && now - last < LIVE_WITHIN_MS;
      tr.querySelector(".state").innerHTML = live
        ? `<span class="badge live">live</span>` : `<span class="badge">idle</span>`;
    } catch (e) {
      tr.querySelector(".last").textContent = e instanceof ApiError && e.denied ? "not permitted" : e.name;
      tr.querySelector(".state").textContent = "—";
    }
    await loadRate(tr);
    const [canDelete, canRetain] = await Promise.all([
      may("/deleteStream", { StreamARN: tr.dataset.arn, CurrentVersion: "" }),
      may("/updateDataRetention", { StreamARN: tr.dataset.arn, CurrentVersion: "",
        Operation: "INCREASE_DATA_RETENTION", DataRetentionChangeInHours: 0 }),
    ]);
    addActions(tr, canDelete, canRetain);
  });
}

/**
 * The stream's recent ingest rate into its row. A principal without GetIngestRate sees "—" with
 * the reason as the cell's title, and the row is not asked again.
 */
async function loadRate(tr) {
  const cell = tr.querySelector(".rate");
  try {
    const r = await call("/getIngestRate", { StreamName: tr.dataset.name, WindowInSeconds: RATE_WINDOW_S });
    cell.textContent = rate(r.BytesPerSecond, r.FragmentsPerSecond);
    cell.dataset.bytesPerSecond = String(r.BytesPerSecond);
    tr.dataset.rate = "shown";
  } catch (e) {
    const denied = e instanceof ApiError && e.denied;
    cell.textContent = "—";
    cell.title = denied ? "not permitted" : `${e.name}: ${e.message}`;
    tr.dataset.rate = denied ? "off" : "shown";
  }
}

function addActions(tr, canDelete, canRetain) {
  const cell = tr.querySelector(".actions");
  const name = tr.dataset.name;
  if (canRetain) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Retention…";
    b.setAttribute("aria-label", `Change retention of ${name}`);
    b.addEventListener("click", () => changeRetention(tr));
    cell.appendChild(b);
  }
  if (canDelete) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "danger";
    b.textContent = "Delete";
    b.setAttribute("aria-label", `Delete ${name}`);
    b.addEventListener("click", () => remove(tr));
    cell.appendChild(b);
  }
}

async function changeRetention(tr) {
  const current = Number(tr.dataset.retention);
  const text = prompt(`New data retention for ${tr.dataset.name}, in hours (now ${current}):`, String(current));
  if (text == null) return;
  const wanted = Number(text);
  if (!Number.isInteger(wanted) || wanted < 0) {
    status("Retention must be a whole number of hours.", true);
    return;
  }
  if (wanted === current) return;
  try {
    await call("/updateDataRetention", {
      StreamARN: tr.dataset.arn, CurrentVersion: tr.dataset.version,
      Operation: wanted > current ? "INCREASE_DATA_RETENTION" : "DECREASE_DATA_RETENTION",
      DataRetentionChangeInHours: Math.abs(wanted - current),
    });
    const info = (await call("/describeStream", { StreamARN: tr.dataset.arn })).StreamInfo;
    tr.dataset.version = info.Version;
    tr.dataset.retention = info.DataRetentionInHours;
    tr.querySelector(".retention").textContent = `${info.DataRetentionInHours} h`;
    status(`Retention of ${tr.dataset.name} is now ${info.DataRetentionInHours} h.`);
  } catch (e) {
    status(`${e.name}: ${e.message}`, true);
  }
}

async function remove(tr) {
  if (!confirm(`Delete stream ${tr.dataset.name} and all its media? This cannot be undone.`)) return;
  try {
    await call("/deleteStream", { StreamARN: tr.dataset.arn, CurrentVersion: tr.dataset.version });
    tr.remove();
    status(`Deleted ${tr.dataset.name}.`);
  } catch (e) {
    status(`${e.name}: ${e.message}`, true);
  }
}

async function create(event, main, observe) {
  event.preventDefault();
  const form = event.target;
  const data = new FormData(form);
  try {
    await call("/createStream", {
      StreamName: data.get("name"), DataRetentionInHours: Number(data.get("retention")),
      MediaType: data.get("mediaType") || undefined,
    });
    status(`Created ${data.get("name")}.`);
    form.reset();
    load(main, observe);
  } catch (e) {
    status(`${e.name}: ${e.message}`, true);
  }
}
