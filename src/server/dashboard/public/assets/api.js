// Talking to /api/v1 with the viewer's token. The token arrives once in the address fragment
// (`#token=…`, which browsers never send to a server), is moved to sessionStorage at once and wiped
// from the address bar and history; it travels only in the Authorization header, never in a URL.

const TOKEN_KEY = 'govscan.token';

export class AuthError extends Error {
  constructor(status) {
    super(`HTTP ${status}`);
    this.name = 'AuthError';
    this.status = status;
  }
}

export class ApiError extends Error {
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

export function setToken(token) {
  memoryToken = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // sessionStorage refused: keep it for this page only
  }
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

/** GET /api/v1<path> with query parameters (undefined/empty ones left out). */
export async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  // Relative to the page, so a server behind a reverse-proxy path prefix works unchanged.
  const url = 'api/v1' + path + (query.size ? '?' + query.toString() : '');
  const token = getToken();
  if (!token) throw new AuthError(401);
  let res;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(res.status);
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error ?? 'internal', body?.message);
  }
  return res.json();
}

/**
 * `?staleAfter=N` in the page address (whole intervals, 1–1000) is passed on to the API, so a wall
 * screen can flag agents sooner or later than the server's default without a server restart.
 */
export function staleAfter() {
  const n = Number(new URLSearchParams(location.search).get('staleAfter'));
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : undefined;
}
