// The dashboard's shell: hash routing, sign-in, the refresh loop and the header's freshness line.
// The page is loaded once; every refresh fetches JSON and redraws only <main>, keeping open
// evidence panels and the scroll position, so a wall screen never flashes or logs out.
//
// <body data-state> is loading | ready | error | signin and <body data-view> names the screen, so
// a person (or a test) can tell what the page is showing.

import { askOtherTabs, AuthError, getToken, onSignedOut, setToken, takeTokenFromFragment } from './api.js';
import { h } from './dom.js';
import { formatAgo, formatTime, lang, loadCatalogue, setLang, t, translateStatic } from './i18n.js';
import { icon } from './widgets.js';
import * as overview from './views/overview.js';
import * as agency from './views/agency.js';
import * as system from './views/system.js';
import * as trend from './views/trend.js';
import * as signin from './views/signin.js';
import * as findings from './views/findings.js';
import * as rules from './views/rules.js';
import * as rule from './views/rule.js';
import * as certificates from './views/certificates.js';
import * as campaigns from './views/campaigns.js';
import * as campaign from './views/campaign.js';

/** Refresh period: 60 s, or `?refresh=N` seconds (at least 2) for a screen that wants it faster. */
const REFRESH_MS = (() => {
  const n = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(n) && n >= 2 ? Math.min(n, 3600) * 1000 : 60_000;
})();

const main = document.getElementById('main');
const freshness = document.getElementById('freshness');
const signOut = document.getElementById('signout');

const state = {
  route: null,
  data: null,
  lastOk: null,
  lastError: null,
  signinError: null,
  seq: 0,
  inFlight: false,
};

function parseRoute(hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const params = Object.fromEntries(new URLSearchParams(query));
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  if (parts[0] === 'trend') return { view: trend, params };
  if (parts[0] === 'findings') return { view: findings, params };
  if (parts[0] === 'rules') return { view: rules, params };
  if (parts[0] === 'rule' && parts[1] !== undefined) return { view: rule, params: { ...params, rule: parts[1] } };
  if (parts[0] === 'certificates') return { view: certificates, params };
  if (parts[0] === 'campaigns') return { view: campaigns, params };
  if (parts[0] === 'campaign' && parts[1] !== undefined) return { view: campaign, params: { ...params, campaign: parts[1] } };
  if (parts[0] === 'agency' && parts[1] !== undefined) {
    if (parts[2] === 'system' && parts[3] !== undefined) {
      return { view: system, params: { ...params, agency: parts[1], system: parts[3] === '~' ? '' : parts[3] } };
    }
    return { view: agency, params: { ...params, agency: parts[1] } };
  }
  return { view: overview, params };
}

function setBody(stateName, viewName) {
  document.body.dataset.state = stateName;
  document.body.dataset.view = viewName;
}

function markTabs(viewName) {
  for (const a of document.querySelectorAll('#tabs a')) {
    const on =
      a.dataset.tab === viewName ||
      (a.dataset.tab === 'overview' && (viewName === 'agency' || viewName === 'system' || viewName === 'certificates')) ||
      (a.dataset.tab === 'rules' && viewName === 'rule') ||
      (a.dataset.tab === 'campaigns' && viewName === 'campaign');
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function showSignin(error) {
  state.data = null;
  state.route = null;
  state.signinError = error;
  signOut.hidden = true;
  main.replaceChildren(signin.render({ error }, { onSubmit: submitToken }));
  document.title = `${t('signin.title')} · govscan`;
  setBody('signin', 'signin');
  markTabs('');
  updateFreshness();
}

function submitToken(token) {
  setToken(token);
  state.signinError = null;
  navigate();
}

/** Draw the current view from the data already fetched (navigation, refresh, language switch). */
function draw({ keepUi }) {
  const { view, params } = state.route;
  const open = keepUi ? [...main.querySelectorAll('details[open][data-key]')].map((d) => d.dataset.key) : [];
  const scroll = keepUi ? { x: window.scrollX, y: window.scrollY } : null;
  main.replaceChildren(view.render(state.data, params));
  for (const key of open) {
    const d = main.querySelector(`details[data-key="${CSS.escape(key)}"]`);
    if (d) d.open = true;
  }
  if (scroll) window.scrollTo(scroll.x, scroll.y);
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'govscan'} · govscan SOC`;
}

async function navigate() {
  if (takeTokenFromFragment()) state.signinError = null;
  // A new tab of a signed-in session takes the token from a sibling tab (api.js).
  if (!getToken() && !state.signinError && !(await askOtherTabs())) return showSignin(state.signinError);
  if (!getToken()) return showSignin(state.signinError);
  const route = parseRoute(location.hash);
  state.route = route;
  state.data = null;
  markTabs(route.view.name);
  signOut.hidden = false;
  setBody('loading', route.view.name);
  main.replaceChildren(h('p', { class: 'loading', role: 'status', text: t('status.loading') }));
  await refresh({ initial: true });
  window.scrollTo(0, 0);
  if (document.body.dataset.state === 'ready') main.focus({ preventScroll: true });
}

/**
 * The first view's data is asked for while the texts load (start()), so the data requests go out
 * with the first paint rather than after it.
 */
let prefetch = null;

function startPrefetch() {
  if (!getToken() || location.hash.startsWith('#token=')) return;
  const route = parseRoute(location.hash);
  const promise = route.view.load(route.params);
  promise.catch(() => {}); // handled when taken
  prefetch = { hash: location.hash, promise };
}

function takePrefetch(route) {
  const p = prefetch;
  prefetch = null;
  return p && p.hash === location.hash ? p.promise : route.view.load(route.params);
}

async function refresh({ initial = false } = {}) {
  if (!state.route) return;
  const seq = ++state.seq;
  const route = state.route;
  state.inFlight = true;
  try {
    const data = await (initial ? takePrefetch(route) : route.view.load(route.params));
    if (seq !== state.seq) return; // a newer navigation superseded this answer
    state.data = data;
    state.lastOk = new Date();
    state.lastError = null;
    draw({ keepUi: !initial });
    setBody('ready', route.view.name);
  } catch (err) {
    if (seq !== state.seq) return;
    if (err instanceof AuthError) {
      const hadToken = Boolean(getToken());
      setToken(null);
      return showSignin(err.status === 403 ? 'signin.forbidden' : hadToken ? 'signin.rejected' : null);
    }
    state.lastError = { at: new Date(), message: err?.message ?? String(err) };
    // A failed refresh keeps the last good picture on screen; the header says how old it is.
    if (!state.data) {
      main.replaceChildren(
        h(
          'div',
          { class: 'error-box', role: 'alert' },
          icon('bad'),
          h('span', { text: t('error.load', { message: state.lastError.message }) }),
        ),
      );
      setBody('error', route.view.name);
    }
    console.warn('govscan dashboard: refresh failed:', state.lastError.message);
  } finally {
    if (seq === state.seq) state.inFlight = false;
    updateFreshness();
    restartRefreshBar();
  }
}

function updateFreshness() {
  const parts = [];
  if (state.lastError && state.lastOk) {
    freshness.className = 'freshness stale';
    parts.push(
      icon('warn'),
      h('span', { text: t('status.failedSince', { at: formatTime(state.lastError.at), ok: formatTime(state.lastOk) }) }),
    );
  } else if (state.lastError) {
    freshness.className = 'freshness stale';
    parts.push(icon('bad'), h('span', { text: t('status.failed', { at: formatTime(state.lastError.at) }) }));
  } else if (state.lastOk) {
    freshness.className = 'freshness ok';
    parts.push(
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      h('span', { id: 'last-updated', 'data-at': state.lastOk.toISOString() }, t('status.updated', { at: formatTime(state.lastOk) })),
      h('span', { class: 'muted every', text: t('status.every', { n: Math.round(REFRESH_MS / 1000) }) }),
    );
  } else {
    freshness.className = 'freshness';
  }
  freshness.replaceChildren(...parts);
  if (state.lastOk) freshness.title = formatAgo(state.lastOk.toISOString());
}

function restartRefreshBar() {
  const bar = document.getElementById('refresh-bar');
  if (!bar) return;
  bar.classList.remove('run');
  bar.style.setProperty('animation-duration', `${REFRESH_MS}ms`);
  void bar.offsetWidth; // restart the CSS animation
  if (state.route) bar.classList.add('run');
}

function applyLanguage(next) {
  setLang(next);
  translateStatic();
  for (const b of document.querySelectorAll('#lang-group button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
  if (state.route && state.data) draw({ keepUi: true });
  else if (document.body.dataset.state === 'signin') showSignin(state.signinError);
  updateFreshness();
}

async function start() {
  startPrefetch();
  try {
    await loadCatalogue();
  } catch (err) {
    main.replaceChildren(
      h('p', { class: 'error-box', role: 'alert', text: `Cannot load the dashboard's texts / Không tải được nội dung: ${err.message}` }),
    );
    setBody('error', '');
    return;
  }
  applyLanguage(lang());
  document.getElementById('lang-group').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-lang]');
    if (button) applyLanguage(button.dataset.lang);
  });
  signOut.addEventListener('click', () => {
    setToken(null);
    showSignin(null);
  });
  // Signing out in another tab of this browser signs this one out too.
  onSignedOut(() => showSignin(null));
  window.addEventListener('hashchange', () => navigate());
  // "Refresh now" for an operator at the console (or a kiosk script): same path as the timer.
  window.addEventListener('govscan:refresh', () => {
    if (state.route && !state.inFlight) refresh();
  });
  setInterval(() => {
    if (state.route && !state.inFlight) refresh();
  }, REFRESH_MS);
  await navigate();
}

start();
