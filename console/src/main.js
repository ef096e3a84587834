// Entry point: hash routes "#/" (streams) and "#/stream/NAME" (one stream), behind sign-in.
import { credential, signIn, signOut } from "./session.js";
import { call, ApiError } from "./api.js";
import { renderStreams } from "./streams-page.js";
import { renderStream } from "./stream-page.js";
import { esc } from "./format.js";
import { status } from "./status.js";

const main = document.getElementById("main");
let cleanup = () => {};


function route() {
  cleanup();
  cleanup = () => {};
  status("");
  const cred = credential();
  document.getElementById("who").textContent = cred ? cred.accessKeyId : "";
  document.getElementById("sign-out").hidden = !cred;
  if (!cred) {
    renderSignIn();
    return;
  }
  const m = location.hash.match(/^#\/stream\/(.+)$/);
  cleanup = m ? renderStream(main, decodeURIComponent(m[1])) : renderStreams(main);
  main.focus({ preventScroll: true });
}

function renderSignIn(error) {
  document.title = "Sign in · Framekeep";
  main.innerHTML = `
    <section class="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <p>Use the access key printed by <code>framekeep serve</code> (kept in
        <code>DATA_DIR/credentials</code>) or one from the server's permissions file.</p>
      <form id="signin">
        <label for="access-key">Access key ID</label>
        <input id="access-key" name="accessKeyId" autocomplete="username" required spellcheck="false">
        <label for="secret-key">Secret access key</label>
        <input id="secret-key" name="secretAccessKey" type="password" autocomplete="current-password" required>
        <label for="region">Region</label>
        <input id="region" name="region" value="us-east-1" required spellcheck="false">
        <p id="signin-error" class="error" role="alert">${error ? esc(error) : ""}</p>
        <button type="submit">Sign in</button>
      </form>
    </section>`;
  const form = document.getElementById("signin");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const cred = {
      accessKeyId: data.get("accessKeyId").trim(),
      secretAccessKey: data.get("secretAccessKey"),
      region: data.get("region").trim() || "us-east-1",
    };
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      // Any signed call checks the credential; a principal without ListStreams is still signed in.
      await call("/listStreams", { MaxResults: 1 }, { cred });
    } catch (e) {
      if (!(e instanceof ApiError) || !e.denied) {
        button.disabled = false;
        document.getElementById("signin-error").textContent =
          // The first paragraph: SigV4 errors go on with the canonical request, for debugging.
          e instanceof ApiError ? `${e.name}: ${e.message.split("\n\n")[0]}` : String(e);
        return;
      }
    }
    signIn(cred.accessKeyId, cred.secretAccessKey, cred.region);
    route();
  });
  document.getElementById("access-key").focus();
}

document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  location.hash = "#/";
  route();
});
window.addEventListener("hashchange", route);
route();
