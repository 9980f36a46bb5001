// Talking to /api/v1 with the viewer's token. The token arrives once in the address fragment
// (`#token=…`, which browsers never send to a server), is moved to sessionStorage at once and wiped
// from the address bar and history; it travels only in the Authorization header, never in a URL.
//
// Signing in once per browser session: sessionStorage is per tab, so a new tab of the dashboard asks
// the open ones over a BroadcastChannel (same origin only, never leaves the browser) and takes the
// token from whichever answers. Nothing goes to localStorage or a cookie: when the last tab closes,
// the token is gone; signing out in one tab signs out all of them.
//
// Every answer's ETag is kept with its data: a refresh sends If-None-Match and an unchanged answer
// comes back as a bodiless 304, so a wall screen's minute costs a few hundred bytes.

const TOKEN_KEY = 'govscan.token';

export class AuthError extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.name = 'AuthError';
    this.status = status;
  }
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return memoryToken;
  }
}

let memoryToken = null;

export function setToken(token, { broadcast = true } = {}) {
  const had = getToken();
  memoryToken = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // sessionStorage refused: keep it for this page only
  }
  if (!token) cache.clear();
  if (!token && had && broadcast) channel?.postMessage({ type: 'signed-out' });
}

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('govscan.session') : null;
const sessionListeners = { signedOut: () => {} };

channel?.addEventListener('message', (event) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object') return;
  if (msg.type === 'ask') {
    const token = getToken();
    if (token) channel.postMessage({ type: 'token', token });
  } else if (msg.type === 'signed-out' && getToken()) {
    setToken(null, { broadcast: false });
    sessionListeners.signedOut();
  }
});

/** Called when another tab signs out (this tab then shows the sign-in form too). */
export function onSignedOut(fn) {
  sessionListeners.signedOut = fn;
}

/**
 * A tab opened without a token asks the dashboard's other tabs for theirs; true when one answered
 * within `ms`. A token handed over this way is kept in this tab's sessionStorage like a typed one.
 */
export function askOtherTabs(ms = 400) {
  if (!channel || getToken()) return Promise.resolve(Boolean(getToken()));
  return new Promise((resolve) => {
    const done = (ok) => {
      clearTimeout(timer);
      channel.removeEventListener('message', onAnswer);
      resolve(ok);
    };
    const onAnswer = (event) => {
      if (event.data?.type === 'token' && typeof event.data.token === 'string' && event.data.token) {
        setToken(event.data.token, { broadcast: false });
        done(true);
      }
    };
    const timer = setTimeout(() => done(false), ms);
    channel.addEventListener('message', onAnswer);
    channel.postMessage({ type: 'ask' });
  });
}

/**
 * Takes `#token=…` out of the address (keeping any route after `&`, e.g. `#token=X&/agency/a`), so
 * it is neither shown on a wall screen nor kept in history. Returns true when a token was taken.
 */
export function takeTokenFromFragment() {
  const hash = location.hash;
  if (!hash.startsWith('#token=')) return false;
  const rest = hash.slice('#token='.length);
  const amp = rest.indexOf('&');
  const token = decodeURIComponent(amp === -1 ? rest : rest.slice(0, amp)).trim();
  const route = amp === -1 ? '/' : rest.slice(amp + 1) || '/';
  history.replaceState(null, '', location.pathname + location.search + '#' + (route.startsWith('/') ? route : '/' + route));
  if (token) setToken(token);
  return Boolean(token);
}

/** url → { etag, data } of the last answer; at most CACHE_MAX kept (oldest dropped). */
const cache = new Map();
const CACHE_MAX = 200;

/** `api/v1<path>?query` (undefined/empty parameters left out), relative to the page. */
function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  // Relative to the page, so a server behind a reverse-proxy path prefix works unchanged.
  return 'api/v1' + path + (query.size ? '?' + query.toString() : '');
}

async function send(url, accept, extra = {}) {
  const token = getToken();
  if (!token) throw new AuthError(401);
  let res;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept, ...extra },
      // A hand-made If-None-Match lets the 304 through to this code; the browser's cache stays out.
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(res.status);
  if (!res.ok && res.status !== 304) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error ?? 'internal', body?.message);
  }
  return res;
}

/** GET /api/v1<path> with query parameters; an unchanged answer is taken from the last one (304). */
export async function api(path, params = {}) {
  const url = apiUrl(path, params);
  const hit = cache.get(url);
  const res = await send(url, 'application/json', hit ? { 'if-none-match': hit.etag } : {});
  if (res.status === 304 && hit) {
    cache.delete(url);
    cache.set(url, hit);
    return hit.data;
  }
  const data = await res.json();
  const etag = res.headers.get('etag');
  if (etag) {
    cache.delete(url);
    cache.set(url, { etag, data });
    while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
  }
  return data;
}

/**
 * Downloads an export (SARIF, JSON, CSV) with the token in the header, as a file the browser saves
 * under the name the server gives; nothing of the token ends up in a link or in history.
 */
export async function download(path, params = {}) {
  const res = await send(apiUrl(path, params), '*/*');
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'govscan-export';
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return filename;
}

/**
 * `?staleAfter=N` in the page address (whole intervals, 1–1000) is passed on to the API, so a wall
 * screen can flag agents sooner or later than the server's default without a server restart.
 */
export function staleAfter() {
  const n = Number(new URLSearchParams(location.search).get('staleAfter'));
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : undefined;
}
