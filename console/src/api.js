// Calls to the Framekeep (Kinesis Video Streams) API of the server that served this page, signed
// with SigV4 by the AWS signer (service "kinesisvideo"), exactly as an AWS SDK would sign them.
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { credential } from "./session.js";

/** An error answered by the server: the AWS error name and its message. */
export class ApiError extends Error {
  constructor(name, message, status) {
    super(message || name);
    this.name = name;
    this.status = status;
  }
  /** Whether the principal lacks permission (NotAuthorizedException / AccessDeniedException). */
  get denied() {
    return this.name === "NotAuthorizedException" || this.name === "AccessDeniedException";
  }
  /** Whether the credential itself is wrong (bad secret, unknown key). */
  get badCredential() {
    return this.name === "InvalidSignatureException" || this.name === "UnrecognizedClientException"
      || this.name === "SignatureDoesNotMatch" || this.name === "MissingAuthenticationTokenException";
  }
}

function signer(cred) {
  return new SignatureV4({
    service: "kinesisvideo",
    region: cred.region || "us-east-1",
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey },
    sha256: Sha256,
  });
}

/**
 * Signs and sends POST {path} with a JSON body. Returns the fetch Response (ok) or throws ApiError.
 * @param {string} path e.g. "/listStreams"
 * @param {object} body
 * @param {{headers?: object, cred?: object, signal?: AbortSignal}} options
 */
export async function send(path, body, options = {}) {
  const cred = options.cred || credential();
  if (!cred) throw new ApiError("NotSignedIn", "Sign in first.", 0);
  const url = new URL(path, location.origin);
  const text = JSON.stringify(body ?? {});
  const request = {
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      "content-type": "application/json",
      ...(options.headers || {}),
    },
    body: text,
  };
  const signed = await signer(cred).sign(request);
  const headers = { ...signed.headers };
  delete headers.host; // the browser sets it (and refuses to be told)
  let response;
  try {
    response = await fetch(url, { method: "POST", headers, body: text, signal: options.signal });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError("NetworkError", `The server did not answer: ${e.message}`, 0);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** {@link send} and parse the JSON answer. */
export async function call(path, body, options) {
  const response = await send(path, body, options);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

async function errorOf(response) {
  let name = response.headers.get("x-amzn-ErrorType") || "";
  let message = "";
  try {
    const json = JSON.parse(await response.text());
    name = name || json.__type || "";
    message = json.message || json.Message || "";
  } catch {
    // not JSON: keep the status
  }
  name = name.split(":")[0] || `HTTP ${response.status}`;
  return new ApiError(name, message || `${name} (HTTP ${response.status})`, response.status);
}

/**
 * Whether the signed-in principal may do {action}: sends the request {probe}, which names the
 * stream but breaks a validation rule on purpose. The server checks permission before validating
 * (as AWS does), so a refusal is NotAuthorized/AccessDenied and anything else (the expected
 * InvalidArgumentException) means allowed; the probe never changes anything.
 */
export async function may(path, probe) {
  try {
    await call(path, probe);
    return true; // should not happen: the probe is invalid
  } catch (e) {
    if (e instanceof ApiError && e.denied) return false;
    return true;
  }
}

/** Runs at most {limit} of the given async jobs at once (lazy per-row lookups). */
export function limiter(limit) {
  let running = 0;
  const queue = [];
  const next = () => {
    if (running >= limit || queue.length === 0) return;
    running++;
    const { job, resolve, reject } = queue.shift();
    job().then(resolve, reject).finally(() => { running--; next(); });
  };
  return (job) => new Promise((resolve, reject) => { queue.push({ job, resolve, reject }); next(); });
}
