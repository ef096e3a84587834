// The signed-in credential, kept in sessionStorage: it lives as long as the tab and is never
// written to disk storage that outlives the browser session.
const KEY = "framekeep.credential";

/** @returns {{accessKeyId: string, secretAccessKey: string, region: string} | null} */
export function credential() {
  const text = sessionStorage.getItem(KEY);
  return text ? JSON.parse(text) : null;
}

export function signIn(accessKeyId, secretAccessKey, region) {
  sessionStorage.setItem(KEY, JSON.stringify({ accessKeyId, secretAccessKey, region }));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}
