// Building DOM nodes without innerHTML: every text from the API (agency names, messages, evidence
// gathered from servers on the internet) goes in through textContent, so none of it can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('td', { class: 'num', text: '3', 'aria-label': '…', onclick: fn }, child, …)
 * `text` sets textContent; `on<event>` adds a listener; `style` is an object applied through the
 * CSSOM (allowed by the page's style-src 'self', unlike a style attribute); null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'style') for (const [p, v] of Object.entries(value)) el.style.setProperty(p, String(v));
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * A text whose Markdown code spans (`govscan server …`, `listen [::]:443`) become <code> elements; every
 * other character stays text, so a pack's remediation or a translated hint can never become markup.
 */
export function prose(text) {
  return String(text ?? '')
    .split(/`([^`\n]+)`/)
    .map((part, i) => (i % 2 === 1 ? h('code', { text: part }) : part))
    .filter((part) => part !== '');
}

/** Text only screen readers hear (the visible form is an icon or a colour). */
export function srOnly(text) {
  return h('span', { class: 'sr-only', text });
}

/** Lists come back as a bare array or as Page<T>; accept both so a paging change breaks nothing. */
export function itemsOf(value) {
  if (Array.isArray(value)) return value;
  if (value && Array.isArray(value.items)) return value.items;
  return [];
}

export function byKey(list, key) {
  const map = new Map();
  for (const item of list) map.set(item[key], item);
  return map;
}
