// The console's shell: sign-in, the hash router, the api() helper and the shared widgets.
// Plain ES module, no build step. Sections are ES modules loaded on demand, each exporting
// `render(main, ctx)`; they import the widgets from here (`import {el, table} from './app.js'`).
//
// ctx, as every section gets it:
//   ctx.api(method, path, {body, headers, signal, full}) -> Promise of the parsed JSON body
//       (or {status, data, etag, headers} with full: true); a failure rejects with an ApiProblem
//       {status, title, detail, errors: [{field, message}]} (status 0: the service did not answer)
//   ctx.actor, ctx.roles (array), ctx.can(role) (an operator can everything), ctx.navigate(hash)
//   ctx.route: {path: '/rules/12', parts: ['rules', '12'], query: URLSearchParams}
//   ctx.signal: aborted when the person leaves the page (pass it to api, stop timers with it)
//   ctx.onLeave(fn): fn runs when the person leaves the page
//   ctx.el, ctx.table, ctx.productGrid, ctx.confirmDialog, ctx.fieldErrors: the widgets below
// A section marks itself drawn by resolving render(); the shell then stamps
// `performance.mark('console-rendered')` and `document.body.dataset.rendered = <route>`.

const KEY = 'tastemaker.console.key';
const ACTOR = 'tastemaker.console.actor';

/** Sections in the nav, the routes they own, the module that draws them and who may open them. */
const SECTIONS = [
  {label: 'Rules', hash: '#/rules', routes: ['rules'], module: './rules.js', roles: ['merchandiser']},
  {label: 'Catalog', hash: '#/catalog', routes: ['catalog', 'products'], module: './catalog.js',
    roles: ['merchandiser', 'data-scientist']},
  {label: 'Shoppers', hash: '#/shoppers', routes: ['shoppers'], module: './catalog.js', roles: ['data-scientist']},
  {label: 'Models', hash: '#/models', routes: ['models'], module: './models.js', roles: ['data-scientist']},
  {label: 'Operations', hash: '#/operations', routes: ['operations'], module: './operations.js', roles: ['operator']},
];

// ---- DOM builder ---------------------------------------------------------------------------

/**
 * el('button', {type: 'button', class: 'primary', onclick: fn, 'aria-label': 'Close'}, 'Save'):
 * attributes starting with "on" become listeners, `class`/`for`/`dataset`/`style` (an object)
 * do what they say, boolean true sets an empty attribute, false/null/undefined leave it out.
 * Children may be nodes, strings (always text, never HTML), numbers, arrays, null.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(node.style, value);
    } else if (name === 'value' && 'value' in node) {
      node.value = value;
    } else if (name === 'checked' || name === 'selected') {
      node[name] = Boolean(value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// ---- the API ---------------------------------------------------------------------------------

/** What a failed call rejects with: the problem+json, flattened. */
export class ApiProblem extends Error {
  constructor(status, title, detail, errors) {
    super(detail || title || ('HTTP ' + status));
    this.status = status;
    this.title = title || '';
    this.detail = detail || '';
    this.errors = errors || [];
  }
}

async function api(method, path, options = {}) {
  const key = sessionStorage.getItem(KEY);
  const headers = {Accept: 'application/json, application/problem+json', ...(options.headers || {})};
  if (key) headers.Authorization = 'Bearer ' + key;
  const actor = sessionStorage.getItem(ACTOR);
  if (actor && !headers['X-Actor']) headers['X-Actor'] = actor;
  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body, signal: options.signal, cache: 'no-store'});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiProblem(0, 'No answer', 'Tastemaker did not answer (' + e.message + '). Try again in a moment.');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!response.ok) {
    const p = data && typeof data === 'object' ? data : {};
    const problem = new ApiProblem(response.status, p.title || response.statusText, p.detail || (typeof data === 'string' ? data : ''),
      Array.isArray(p.errors) ? p.errors.map(e => ({field: e.field || '', message: e.message || ''})) : []);
    if (response.status === 401 && key && path !== '/v1/me') {
      signOut('Your key was refused (revoked or expired?). Sign in again.');
    }
    throw problem;
  }
  return options.full ? {status: response.status, data, etag: response.headers.get('ETag'), headers: response.headers} : data;
}

// ---- shared widgets ------------------------------------------------------------------------

/**
 * A table: columns [{label, value: row => text or node, class?}], rows any array. An empty
 * array draws one row saying `empty` (default "Nothing here yet.").
 */
export function table(columns, rows, {caption, empty} = {}) {
  // focusable, so a table wider than the window can be scrolled by keyboard
  return el('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption || 'Table'},
    el('table', {},
      caption ? el('caption', {}, caption) : null,
      el('thead', {}, el('tr', {}, columns.map(c => el('th', {scope: 'col', class: c.class}, c.label)))),
      el('tbody', {}, rows.length === 0
        ? el('tr', {}, el('td', {colspan: columns.length, class: 'muted'}, empty || 'Nothing here yet.'))
        : rows.map(row => el('tr', {}, columns.map(c => el('td', {class: c.class}, cell(c.value(row)))))))));
}

function cell(value) {
  return value === null || value === undefined ? '' : value;
}

/** The generated tile the widget shows when a product's own image cannot load. */
export function placeholderUrl(item) {
  return '/images/placeholder.svg?' + new URLSearchParams({productId: item.productId, title: item.title || '',
    category: item.category || ''});
}

export function formatPrice(item) {
  if (item.price === null || item.price === undefined) return '';
  try {
    return new Intl.NumberFormat(undefined, {style: 'currency', currency: item.currency || 'USD'}).format(item.price);
  } catch {
    return String(item.price) + (item.currency ? ' ' + item.currency : '');
  }
}

const MARK_TEXT = {moved: 'moved', added: 'added', removed: 'removed', up: 'shifted up', down: 'shifted down'};

/**
 * Product tiles: items are list items ({productId, title, price, currency, imageUrl, category})
 * or preview rows ({position, item}). marks: {productId: 'moved'|'added'|'removed'|'up'|'down'}
 * or a function item => mark; note: optional function item => text under the tile (e.g. the
 * rule that moved it). Each tile carries data-product-id and data-position.
 */
export function productGrid(items, {marks, note, label} = {}) {
  const markOf = typeof marks === 'function' ? marks : (item => (marks || {})[item.productId]);
  return el('ol', {class: 'grid', 'aria-label': label || 'Products'}, items.map((row, i) => {
    const item = row.item || row;
    const position = row.position || item.position || i + 1;
    const mark = markOf(item);
    const img = el('img', {alt: '', loading: 'lazy', width: 120, height: 120});
    img.onerror = () => { img.onerror = null; img.src = placeholderUrl(item); };
    img.src = /^https?:\/\//.test(item.imageUrl || '') ? item.imageUrl : placeholderUrl(item);
    const extra = note ? note(item) : null;
    return el('li', {class: 'tile' + (mark ? ' mark-' + mark : ''), dataset: {productId: item.productId, position}},
      el('span', {class: 'pos'}, '#' + position),
      img,
      el('span', {class: 'title'}, item.title || item.productId),
      el('span', {class: 'price'}, formatPrice(item)),
      el('span', {class: 'id muted'}, item.productId),
      mark ? el('span', {class: 'mark'}, MARK_TEXT[mark] || mark) : null,
      extra ? el('span', {class: 'note'}, extra) : null);
  }));
}

/** Asks a yes/no question in a modal <dialog>; resolves true for the confirming button. */
export function confirmDialog(text, {confirm = 'Confirm', cancel = 'Cancel', danger = true} = {}) {
  return new Promise(resolve => {
    const yes = el('button', {type: 'submit', value: 'yes', class: danger ? 'danger' : 'primary'}, confirm);
    const dialog = el('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-text'},
      el('form', {method: 'dialog'},
        el('p', {id: 'confirm-text'}, text),
        el('div', {class: 'actions'},
          el('button', {type: 'submit', value: 'no'}, cancel), yes)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
    yes.focus();
  });
}

/**
 * Shows a problem's field errors beside the form's fields: the error for `match.value` goes
 * beside the control named "match.value" (or whose data-field is it; `rules[0].factor` from a
 * preview also finds "factor"), linked with aria-describedby and marked aria-invalid. Errors
 * without a field of their own, and the detail, go to the form's [data-form-error] element
 * (made if missing). Call with no problem to clear. Returns the number of errors not placed.
 */
export function fieldErrors(form, problem) {
  form.querySelectorAll('.field-error').forEach(n => n.remove());
  form.querySelectorAll('[aria-invalid]').forEach(n => {
    n.removeAttribute('aria-invalid');
    const described = (n.getAttribute('aria-describedby') || '').split(' ').filter(id => !id.startsWith('err-'));
    if (described.length) n.setAttribute('aria-describedby', described.join(' ')); else n.removeAttribute('aria-describedby');
  });
  let summary = form.querySelector('[data-form-error]');
  if (!problem) {
    if (summary) { summary.textContent = ''; summary.hidden = true; }
    return 0;
  }
  const loose = [];
  let first = null;
  (problem.errors || []).forEach((error, i) => {
    const control = controlFor(form, error.field);
    if (!control) { loose.push(error); return; }
    const id = 'err-' + i + '-' + Math.random().toString(36).slice(2, 8);
    const message = el('span', {class: 'field-error', id, role: 'alert'}, error.message);
    const anchor = control.closest('.field') || control;
    anchor.append(message);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') || '') + ' ' + id).trim());
    first = first || control;
  });
  if (!summary) {
    summary = el('p', {class: 'form-error', 'data-form-error': true, role: 'alert'});
    form.prepend(summary);
  }
  const lines = loose.map(e => (e.field ? e.field + ': ' : '') + e.message);
  const head = problem.errors && problem.errors.length && !loose.length ? 'Please correct the marked fields.'
    : (problem.detail || problem.title || 'Something went wrong.');
  summary.textContent = [head, ...lines].join(' ');
  summary.hidden = false;
  if (first && !form.contains(document.activeElement)) first.focus();
  return loose.length;
}

function controlFor(form, field) {
  if (!field) return null;
  const candidates = [field, field.replace(/^rules\[\d+\]\./, ''), field.replace(/\[\d+\]$/, '')];
  for (const name of candidates) {
    const found = form.querySelector(`[data-field="${CSS.escape(name)}"]`) || form.elements.namedItem(name);
    if (found) return found instanceof RadioNodeList ? found[0] : found;
  }
  return null;
}

/** A message in a live region at the top of the page ("Saved."), gone after a while. */
export function notify(text, kind = 'ok') {
  let region = document.getElementById('notice');
  if (!region) {
    region = el('div', {id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite'});
    document.getElementById('main').before(region);
  }
  region.className = 'notice ' + kind;
  region.textContent = text;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { region.textContent = ''; region.className = 'notice'; }, 6000);
}

/** A problem as a short paragraph, for a page that failed to load. */
export function problemText(problem) {
  if (!problem) return '';
  if (problem.status === 403) return 'Your key may not do this (' + (problem.detail || 'forbidden') + ').';
  return (problem.title ? problem.title + ': ' : '') + (problem.detail || problem.message || '');
}

// ---- sign-in, header, router -----------------------------------------------------------------

let me = null;
let leaving = null;

function signOut(reason) {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ACTOR);
  me = null;
  drawHeader();
  drawSignIn(reason);
}

function drawSignIn(reason) {
  const main = document.getElementById('main');
  const key = el('input', {id: 'signin-key', name: 'key', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'signin-key-help'});
  const name = el('input', {id: 'signin-name', name: 'name', type: 'text', maxlength: 64, autocomplete: 'name'});
  const form = el('form', {class: 'card signin', novalidate: true},
    reason ? el('p', {class: 'form-error', role: 'alert'}, reason) : null,
    el('div', {class: 'field'},
      el('label', {for: 'signin-key'}, 'API key'),
      key,
      el('span', {id: 'signin-key-help', class: 'help'},
        'Paste the key an operator gave you. It stays in this tab only and is forgotten when you sign out or close the tab.')),
    el('div', {class: 'field'},
      el('label', {for: 'signin-name'}, 'Your name (optional, shown in audit trails)'),
      name),
    el('button', {type: 'submit', class: 'primary'}, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldErrors(form, null);
    if (!key.value.trim()) {
      fieldErrors(form, {errors: [{field: 'key', message: 'Paste your API key.'}]});
      return;
    }
    sessionStorage.setItem(KEY, key.value.trim());
    if (name.value.trim()) sessionStorage.setItem(ACTOR, name.value.trim());
    else sessionStorage.removeItem(ACTOR);
    try {
      me = await api('GET', '/v1/me');
    } catch (problem) {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(ACTOR);
      const field = problem.errors && problem.errors.some(e => e.field === 'X-Actor') ? 'name' : 'key';
      fieldErrors(form, {detail: problemText(problem), errors: [{field,
        message: problem.status === 401 ? 'This key is unknown, revoked or expired.' : problem.detail || problem.title}]});
      return;
    }
    drawHeader();
    route();
  });
  main.replaceChildren(el('h1', {}, 'Sign in to the Tastemaker console'), form);
  document.title = 'Sign in · Tastemaker console';
  document.body.dataset.rendered = 'signin';
  key.focus();
}

function drawHeader() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!me) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  const current = '#/' + (currentPath().split('/')[1] || '');
  nav.replaceChildren(el('ul', {}, allowedSections().map(s =>
    el('li', {}, el('a', {href: s.hash, 'aria-current': s.hash === current ? 'page' : false}, s.label)))));
  who.replaceChildren(
    el('span', {class: 'actor'}, me.actor),
    el('span', {class: 'roles'}, me.roles.filter(r => me.roles.includes('operator') ? r === 'operator' : true).join(', ')),
    el('button', {type: 'button', onclick: () => signOut('Signed out.')}, 'Sign out'));
}

function can(role) {
  return Boolean(me) && (me.roles.includes(role) || me.roles.includes('operator'));
}

function allowedSections() {
  return SECTIONS.filter(s => s.roles.some(can));
}

function currentPath() {
  const hash = location.hash.replace(/^#/, '') || '/';
  return hash.split('?')[0];
}

function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

async function route() {
  if (!me) return;
  if (leaving) leaving.abort();
  const controller = new AbortController();
  leaving = controller;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  drawHeader();
  const main = document.getElementById('main');
  if (parts.length === 0) {
    const first = allowedSections()[0];
    if (first) { location.replace(first.hash); return; }
    main.replaceChildren(el('h1', {}, 'Nothing to show'),
      el('p', {}, 'Your key (' + me.roles.join(', ') + ') opens none of the console\'s sections. Ask an operator for a key with the merchandiser, data-scientist or operator role.'));
    return;
  }
  const section = SECTIONS.find(s => s.routes.includes(parts[0]));
  if (!section) {
    main.replaceChildren(el('h1', {}, 'Page not found'), el('p', {}, 'The console has no page at #' + path + '.'));
    return;
  }
  if (!section.roles.some(can)) {
    main.replaceChildren(el('h1', {}, section.label),
      el('p', {}, 'Your roles (' + me.roles.join(', ') + ') may not use ' + section.label + '.'));
    return;
  }
  main.replaceChildren(el('p', {class: 'muted'}, 'Loading…'));
  let module;
  try {
    module = await import(section.module);
  } catch (e) {
    if (controller.signal.aborted) return;
    main.replaceChildren(el('h1', {}, section.label), el('p', {}, 'This section is not available yet.'));
    document.body.dataset.rendered = path;
    return;
  }
  if (controller.signal.aborted) return;
  const ctx = context(parts, path, new URLSearchParams(query || ''), controller);
  main.replaceChildren();
  try {
    await module.render(main, ctx);
  } catch (e) {
    if (controller.signal.aborted || e.name === 'AbortError') return;
    main.append(el('p', {class: 'form-error', role: 'alert'}, 'This page could not be drawn: ' + (problemText(e) || e)));
  }
  if (controller.signal.aborted) return;
  const h1 = main.querySelector('h1');
  document.title = (h1 ? h1.textContent + ' · ' : '') + 'Tastemaker console';
  markRendered(path);
}

function markRendered(path) {
  document.body.dataset.rendered = path;
  if (!performance.getEntriesByName('console-rendered').length) {
    performance.mark('console-rendered');
  }
}

function context(parts, path, query, controller) {
  return {
    api: (method, p, options = {}) => api(method, p, {signal: controller.signal, ...options}),
    actor: me.actor,
    roles: me.roles.slice(),
    can,
    navigate,
    route: {path, parts, query},
    signal: controller.signal,
    onLeave: fn => controller.signal.addEventListener('abort', fn, {once: true}),
    el, table, productGrid, confirmDialog, fieldErrors, notify, problemText,
  };
}

async function start() {
  window.addEventListener('hashchange', route);
  if (!sessionStorage.getItem(KEY)) {
    drawSignIn();
    return;
  }
  try {
    me = await api('GET', '/v1/me');
  } catch (problem) {
    signOut(problem.status === 401 ? 'Your key was refused. Sign in again.' : problemText(problem));
    return;
  }
  drawHeader();
  route();
}

/** The api helper, for sections that want it outside a render (and for the browser tests). */
export {api};
window.tastemakerConsole = {api};

start();
