// Export: one MP4 for a range from the /exportClip extension (GetClip without AWS's 200-fragment /
// 100 MB cut-off), streamed to a download. The body is read as it arrives and handed, every
// PART_BYTES, to a Blob, which the browser keeps in its blob store (on disk past its memory
// share), so the page itself never holds more than one part; progress follows Content-Length.
import { send } from "./api.js";
import { bytes, compactUtc } from "./format.js";

/** 8 MiB: large enough for few parts, small enough that the page's own memory stays flat. */
const PART_BYTES = 8 << 20;

/**
 * @param {"fragments"|"exact"} trim AWS's whole fragments, or Framekeep's exact trimming
 * @returns {Promise<void>} settles when the download has been handed to the browser or failed
 */
export async function startExport(stream, startMs, endMs, trim, progress, info) {
  const fileName = `${stream}_${compactUtc(startMs)}_${compactUtc(endMs)}${trim === "exact" ? "_exact" : ""}.mp4`;
  progress.hidden = false;
  progress.removeAttribute("value");
  info.textContent = "Preparing the clip…";
  try {
    const response = await send("/exportClip", {
      StreamName: stream,
      ClipFragmentSelector: { FragmentSelectorType: "PRODUCER_TIMESTAMP",
        TimestampRange: { StartTimestamp: startMs / 1000, EndTimestamp: endMs / 1000 } },
    }, { headers: { "x-framekeep-clip-trim": trim } });
    const total = Number(response.headers.get("content-length")) || 0;
    const reader = response.body.getReader();
    const parts = [];
    let pending = [];
    let pendingBytes = 0;
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      pendingBytes += value.byteLength;
      received += value.byteLength;
      if (pendingBytes >= PART_BYTES) {
        parts.push(new Blob(pending));
        pending = [];
        pendingBytes = 0;
      }
      if (total) progress.value = received / total;
      info.textContent = `Downloading ${fileName}: ${bytes(received)}${total ? ` of ${bytes(total)}` : ""}`;
    }
    if (total && received !== total) throw new Error(`the clip ended after ${received} of ${total} bytes`);
    parts.push(new Blob(pending));
    const blob = new Blob(parts, { type: "video/mp4" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    progress.value = 1;
    info.textContent = `Saved ${fileName} (${bytes(received)}).`;
  } catch (e) {
    progress.hidden = true;
    info.textContent = `Export failed: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`;
  }
}
