// The fragments of a range (ListFragments by producer time, paged): number, producer and server
// time, duration, size. At most MAX_SHOWN rows are drawn; the total is still counted.
import { call } from "./api.js";
import { bytes, esc, time } from "./format.js";

/** 2,000 rows: half an hour of 1 s fragments; a longer list is better read with the CLI. */
const MAX_SHOWN = 2000;

export async function listFragments(root, stream, startMs, endMs) {
  root.innerHTML = `<p class="muted">Loading…</p>`;
  const fragments = [];
  let token;
  let pages = 0;
  try {
    do {
      const page = await call("/listFragments", token ? { StreamName: stream, NextToken: token, MaxResults: 1000 } : {
        StreamName: stream, MaxResults: 1000,
        FragmentSelector: { FragmentSelectorType: "PRODUCER_TIMESTAMP",
          TimestampRange: { StartTimestamp: startMs / 1000, EndTimestamp: endMs / 1000 } },
      });
      fragments.push(...page.Fragments);
      token = page.NextToken;
      pages++;
    } while (token && fragments.length < MAX_SHOWN && pages < 10);
  } catch (e) {
    root.innerHTML = `<p class="error">${esc(e.name)}: ${esc(e.message)}</p>`;
    return;
  }
  fragments.sort((a, b) => a.ProducerTimestamp - b.ProducerTimestamp);
  const shown = fragments.slice(0, MAX_SHOWN);
  const total = shown.reduce((n, f) => n + f.FragmentSizeInBytes, 0);
  root.innerHTML = `
    <p class="muted">${fragments.length}${token ? "+" : ""} fragments, ${bytes(total)}${fragments.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown)` : ""}</p>
    <table class="fragments">
      <thead><tr><th scope="col">Number</th><th scope="col">Producer time</th><th scope="col">Server time</th>
        <th scope="col">Duration</th><th scope="col">Size</th></tr></thead>
      <tbody>${shown.map((f) => `<tr><td class="mono">${esc(f.FragmentNumber)}</td>
        <td>${time(f.ProducerTimestamp * 1000, true)}</td><td>${time(f.ServerTimestamp * 1000, true)}</td>
        <td>${(f.FragmentLengthInMilliseconds / 1000).toFixed(3)} s</td><td>${bytes(f.FragmentSizeInBytes)}</td></tr>`).join("")}</tbody>
    </table>`;
}
