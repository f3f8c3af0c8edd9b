/* Tastemaker drop-in widget v1: recommendations in any page, measured. Plain ES, no build step.
   <script src="https://reco.shop.example/widget/v1.js" data-tastemaker-key="tm_live_…" defer></script>
   <div data-tastemaker-placement="home-feed" data-surface="feed" data-user-id="u-42"></div>
   Guide: docs/storefront-api.md#drop-in-widget */
(function () {
  'use strict';
  if (window.Tastemaker) return;
  var me = document.currentScript;
  var attr = function (name) { return me ? me.getAttribute('data-tastemaker-' + name) : null; };
  var base = (attr('endpoint') || (me ? new URL(me.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  var key = attr('key');
  var timeout = +attr('timeout') || 1500;
  var seen = {}, pending = {}, flushTimer = 0;
  var observer = window.IntersectionObserver ? new IntersectionObserver(inView, {threshold: 0.5}) : null;
  var ATTRIBUTED = {click: 1, pin: 1, view: 1, add_to_cart: 1, purchase: 1};

  function store(kind, name, value) {
    try {
      var s = kind === 'local' ? localStorage : sessionStorage;
      if (value === undefined) return s.getItem(name);
      s.setItem(name, value);
    } catch (e) { /* storage off: attribution lasts for this page only */ }
    return value;
  }
  function id() {
    return crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function anonymous() { return store('local', 'tm-user') || store('local', 'tm-user', 'anon-' + id()); }
  function session() { return store('session', 'tm-session') || store('session', 'tm-session', 's-' + id()); }

  /* One call to Tastemaker; resolves with the JSON answer, rejects on any failure or after the timeout. */
  function call(method, path, body) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, body ? 3 * timeout : timeout);
    var headers = {Authorization: 'Bearer ' + key};
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(base + path, {method: method, headers: headers, body: body && JSON.stringify(body), signal: abort.signal,
      credentials: 'omit', keepalive: !!body})
      .then(function (r) {
        if (!r.ok) throw new Error('Tastemaker answered ' + r.status);
        return r.status === 202 ? {} : r.json();
      })
      .finally(function () { clearTimeout(timer); });
  }

  /* Sends one event; fills in its id, time, session and the list it came from. Never rejects. */
  function track(event) {
    var e = Object.assign({eventId: id(), userId: anonymous(), sessionId: session(), occurredAt: new Date().toISOString()}, event);
    if (ATTRIBUTED[e.type] && e.productId && !e.recommId) {
      var from = JSON.parse(store('session', 'tm-from:' + e.productId) || 'null');
      if (from && from.recommId) { e.recommId = from.recommId; e.position = from.position; }
    }
    for (var k in e) if (e[k] == null) delete e[k];
    return call('POST', '/v1/events', {events: [e]}).then(function () { return true; }, function () { return false; });
  }

  function listPath(el) {
    var d = el.dataset, q = new URLSearchParams();
    var surface = d.surface || 'feed', user = d.userId;
    q.set('limit', d.limit || '12');
    q.set('placement', d.tastemakerPlacement);
    if (d.exclude) q.set('exclude', d.exclude);
    if (user && surface !== 'feed') q.set('userId', user);
    if (surface === 'feed') return '/v1/users/' + encodeURIComponent(user || anonymous()) + '/feed?' + q;
    if (surface === 'similar') return '/v1/products/' + encodeURIComponent(d.productId) + '/similar?' + q;
    q.set('q', d.query || '');
    return '/v1/search?' + q;
  }

  /* Renders the placement(s) in root; resolves when done, whatever happened. */
  function render(root) {
    root = root || document;
    var els = root.matches && root.matches('[data-tastemaker-placement]') ? [root]
      : Array.prototype.slice.call(root.querySelectorAll('[data-tastemaker-placement]'));
    return Promise.all(els.map(function (el) {
      var path;
      try { path = listPath(el); } catch (e) { return empty(el); }
      el.setAttribute('aria-busy', 'true');
      return call('GET', path).then(function (list) { draw(el, list); }, function () { empty(el); });
    }));
  }

  function empty(el) {
    el.textContent = '';
    el.hidden = true;
    el.removeAttribute('aria-busy');
    el.dispatchEvent(new CustomEvent('tastemaker:empty', {bubbles: true}));
  }

  function placeholder(item) {
    return base + '/images/placeholder.svg?' + new URLSearchParams({productId: item.productId, title: item.title || '',
      category: item.category || ''});
  }

  function price(item) {
    try {
      return new Intl.NumberFormat(undefined, {style: 'currency', currency: item.currency}).format(item.price);
    } catch (e) { return item.price == null ? '' : item.price + ' ' + (item.currency || ''); }
  }

  function draw(el, list) {
    var items = (list && list.items) || [];
    if (!items.length) return empty(el);
    var d = el.dataset, recommId = list.recommId || '', placement = list.placement || d.tastemakerPlacement;
    var user = d.userId || anonymous();
    var ul = document.createElement('ul');
    ul.className = 'tm-list tm-' + (d.layout === 'grid' ? 'grid' : 'carousel');
    items.forEach(function (item, i) {
      var position = item.position || i + 1;
      var li = document.createElement('li'), a = document.createElement('a'), img = new Image();
      var title = document.createElement('span'), cost = document.createElement('span');
      li.className = 'tm-item';
      li.dataset.productId = item.productId;
      li.dataset.position = position;
      li.dataset.recommId = recommId;
      li.dataset.userId = user;
      a.href = (d.productHref || '#{productId}').replace('{productId}', encodeURIComponent(item.productId));
      img.alt = item.title || '';
      img.loading = 'lazy';
      img.onerror = function () { img.onerror = null; img.src = placeholder(item); };
      img.src = /^https?:\/\//.test(item.imageUrl || '') ? item.imageUrl : placeholder(item);
      title.className = 'tm-title';
      title.textContent = item.title || '';
      cost.className = 'tm-price';
      cost.textContent = price(item);
      a.append(img, title, cost);
      a.addEventListener('click', function () {
        store('session', 'tm-from:' + item.productId, JSON.stringify({recommId: recommId, position: position}));
        track({type: 'click', userId: user, productId: item.productId, recommId: recommId || null, position: position,
          query: d.surface === 'search' ? d.query : null});
        el.dispatchEvent(new CustomEvent('tastemaker:click', {bubbles: true,
          detail: {item: item, position: position, recommId: recommId, placement: placement}}));
      });
      li.append(a);
      ul.append(li);
    });
    el.textContent = '';
    if (d.title) {
      var h = document.createElement('h2');
      h.className = 'tm-heading';
      h.textContent = d.title;
      el.append(h);
    }
    el.append(ul);
    el.hidden = false;
    el.dataset.recommId = recommId;
    el.removeAttribute('aria-busy');
    if (observer) ul.querySelectorAll('li').forEach(function (li) { observer.observe(li); });
    el.dispatchEvent(new CustomEvent('tastemaker:rendered', {bubbles: true,
      detail: {placement: placement, recommId: recommId, items: items}}));
  }

  /* Impressions: the items at least half in view, once per list and product, batched per list. */
  function inView(entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var d = entry.target.dataset;
      observer.unobserve(entry.target);
      if (!d.recommId || seen[d.recommId + ' ' + d.productId]) return; // no recommId: nothing to attribute to
      seen[d.recommId + ' ' + d.productId] = 1;
      (pending[d.recommId] = pending[d.recommId] || {userId: d.userId, productIds: []}).productIds.push(d.productId);
    });
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, 500);
  }
  function flush() {
    Object.keys(pending).forEach(function (recommId) {
      var p = pending[recommId];
      delete pending[recommId];
      for (var i = 0; i < p.productIds.length; i += 100) {
        track({type: 'impression', userId: p.userId, recommId: recommId, productIds: p.productIds.slice(i, i + 100)});
      }
    });
  }
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', function () { if (document.hidden) flush(); });

  var style = document.createElement('style');
  style.textContent = '.tm-list{list-style:none;margin:0;padding:0 0 8px;display:flex;gap:14px;overflow-x:auto}' +
    '.tm-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));overflow:visible}' +
    '.tm-carousel .tm-item{flex:0 0 170px}.tm-item a{display:block;color:inherit;text-decoration:none}' +
    '.tm-item img{display:block;width:100%;aspect-ratio:1;object-fit:cover;border-radius:6px;background:#e8e4dc}' +
    '.tm-title{display:block;font-size:14px;line-height:1.3;margin:6px 0 2px;height:2.6em;overflow:hidden}' +
    '.tm-price{font-weight:600;font-size:14px}.tm-heading{font-size:20px;margin:0 0 10px}';
  document.head.prepend(style);

  window.Tastemaker = {render: render, track: track, flush: flush, endpoint: base};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { render(); });
  else render();
})();
