// The demo shop: a storefront that knows nothing of Tastemaker's internals. Lists come from the
// widget's placements, events go through Tastemaker.track with the storefront key; the shop keeps
// only what a shop keeps itself: who is signed in, what they looked at, their cart.
const T = window.Tastemaker;
const view = document.getElementById('view');
const picker = document.getElementById('shopper');
const shoppers = JSON.parse(document.getElementById('shoppers').textContent);

const saved = (name, fallback) => JSON.parse(localStorage.getItem(name) || 'null') ?? fallback;
const save = (name, value) => localStorage.setItem(name, JSON.stringify(value));
let user = saved('shop-user', '');

for (const s of shoppers) {
  picker.append(new Option(s.taste ? `${s.userId} (${s.taste})` : s.userId, s.userId));
}
picker.value = user;
picker.addEventListener('change', () => { user = picker.value; save('shop-user', user); show(); });

document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new FormData(e.target).get('q').trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

// what the shopper clicked, so its page can show it (a real shop has its own product pages)
document.addEventListener('tastemaker:click', (e) => {
  sessionStorage.setItem(`shop-item:${e.detail.item.productId}`, JSON.stringify(e.detail.item));
});

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const money = (amount, currency) => {
  try { return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount); } catch { return `${amount}`; }
};
const placeholder = (item) => `${T.endpoint}/images/placeholder.svg?${new URLSearchParams({
  productId: item.productId, title: item.title || '', category: item.category || '' })}`;
const track = (event) => T.track(user ? { userId: user, ...event } : event);

/** A widget placement: Tastemaker renders it, or hides it when it has nothing to show. */
function placement(name, surface, attrs) {
  const div = el('div');
  div.dataset.tastemakerPlacement = name;
  div.dataset.surface = surface;
  div.dataset.productHref = '#/product/{productId}';
  if (user) div.dataset.userId = user;
  Object.assign(div.dataset, attrs);
  return el('section', {}, div);
}

function home() {
  const me = shoppers.find((s) => s.userId === user);
  view.append(
    el('div', { className: 'hero' },
      el('h1', {}, user ? `Welcome back, ${user}` : 'Welcome to the demo shop'),
      el('p', {}, me?.taste ? `Your picks follow your taste for ${me.taste}, and change as you click and save.`
        : 'Pick a demo shopper above to shop as them; your picks follow what you click and save.'),
      el('p', { className: 'muted' }, 'Scroll down for your picks.')),
    placement('home-feed', 'feed', { title: 'Picked for you', limit: '12' }));
}

function product(productId) {
  const item = JSON.parse(sessionStorage.getItem(`shop-item:${productId}`) || 'null') ?? { productId, title: productId };
  const img = el('img', { alt: item.title, src: item.imageUrl || placeholder(item) });
  img.onerror = () => { img.onerror = null; img.src = placeholder(item); };
  const note = el('p', { className: 'note', id: 'note' });
  const pin = el('button', { id: 'pin', className: 'primary', textContent: 'Save to my board' });
  pin.onclick = async () => {
    note.textContent = (await track({ type: 'pin', productId, boardId: 'favourites' }))
      ? 'Saved to your board: your picks will follow it.' : 'Could not save just now.';
  };
  const add = el('button', { id: 'add-to-cart', textContent: 'Add to cart' });
  add.onclick = async () => {
    const cart = saved('shop-cart', []);
    const line = cart.find((l) => l.productId === productId);
    if (line) line.quantity += 1; else cart.push({ ...item, quantity: 1 });
    save('shop-cart', cart);
    counter();
    note.textContent = (await track({ type: 'add_to_cart', productId })) ? 'In your cart.' : 'In your cart (not measured).';
  };
  view.append(
    el('div', { className: 'product' }, img,
      el('div', {},
        el('h1', {}, item.title),
        el('p', { className: 'muted' }, [item.brand, item.category].filter(Boolean).join(' · ')),
        el('p', { className: 'price' }, item.price != null ? money(item.price, item.currency) : ''),
        pin, add, note)),
    placement('pdp-similar', 'similar', { productId, title: 'More like this', limit: '12' }));
  track({ type: 'view', productId });
}

function search(q) {
  view.append(placement('search', 'search', { query: q, title: `Results for “${q}”`, layout: 'grid', limit: '24' }));
  document.querySelector('#search input').value = q;
}

function cart() {
  const lines = saved('shop-cart', []);
  const note = el('p', { className: 'note', id: 'note' });
  if (!lines.length) {
    view.append(el('h1', {}, 'Your cart is empty'), note);
    return;
  }
  const total = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  const checkout = el('button', { id: 'checkout', className: 'primary', textContent: 'Buy now' });
  checkout.onclick = async () => {
    const sent = await Promise.all(lines.map((l) => track({
      type: 'purchase', productId: l.productId, value: Number((l.price * l.quantity).toFixed(2)), currency: l.currency })));
    save('shop-cart', []);
    counter();
    view.replaceChildren(el('h1', {}, 'Thank you for your order'),
      el('p', { className: 'note', id: 'note' }, sent.every(Boolean) ? 'Your purchase counts toward your picks.' : ''));
  };
  view.append(el('h1', {}, 'Your cart'),
    el('ul', { className: 'cart' }, ...lines.map((l) => el('li', {},
      el('a', { href: `#/product/${encodeURIComponent(l.productId)}` }, `${l.quantity} × ${l.title}`),
      el('span', {}, money(l.price * l.quantity, l.currency))))),
    el('p', { className: 'price' }, `Total ${money(total, lines[0].currency)}`), checkout, note);
}

function counter() {
  document.getElementById('cart-count').textContent = saved('shop-cart', []).reduce((n, l) => n + l.quantity, 0);
}

function show() {
  T.flush();
  view.replaceChildren();
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const parts = (path || '/').split('/').filter(Boolean);
  if (parts[0] === 'product' && parts[1]) product(decodeURIComponent(parts[1]));
  else if (parts[0] === 'search') search(new URLSearchParams(query).get('q') || '');
  else if (parts[0] === 'cart') cart();
  else home();
  window.scrollTo(0, 0);
  T.render(view);
}

addEventListener('hashchange', show);
counter();
show();
