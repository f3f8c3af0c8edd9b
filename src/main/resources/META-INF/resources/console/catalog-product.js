// Catalog section: one product: its details, "more like this", what shoppers chose after it, and
// why it ranks where it does (the reasons the list it came from gave, or any search / feed asked now).
import {el, formatPrice, placeholderUrl, problemText} from './app.js';
import {enc, seen, linkedGrid, reasonsTable, listFacts, remember, PLACEMENT} from './catalog-shared.js';

export async function renderProduct(main, ctx, id) {
  let product;
  try {
    product = await ctx.api('GET', '/v1/catalog/products/' + enc(id));
  } catch (problem) {
    if (problem.status !== 404) throw problem;
    main.append(el('h1', {}, 'Product ' + id), el('p', {}, 'No product with this id is in the catalog.'),
      el('p', {}, el('a', {href: '#/catalog'}, 'Search the catalog')));
    return;
  }
  const item = {productId: product.id, title: product.title, category: (product.categoryPath || []).slice(-1)[0],
    imageUrl: product.imageUrl, price: product.price, currency: product.currency};
  const img = el('img', {alt: product.title, width: 200, height: 200, class: 'product-image'});
  img.onerror = () => { img.onerror = null; img.src = placeholderUrl(item); };
  img.src = /^https?:\/\//.test(product.imageUrl || '') ? product.imageUrl : placeholderUrl(item);
  const facts = [['Id', product.id], ['Brand', product.brand], ['Category', (product.categoryPath || []).join(' › ')],
    ['Price', formatPrice(item)], ['In stock', product.inStock ? 'yes' : 'no'], ['Tags', (product.tags || []).join(', ')],
    ['Updated', product.updatedAt ? new Date(product.updatedAt).toLocaleString() : '']]
    .filter(([, v]) => v !== null && v !== undefined && v !== '');

  const similar = el('div', {id: 'similar'}, el('p', {class: 'muted'}, 'Loading…'));
  const after = el('div', {id: 'chosen-after'}, el('p', {class: 'muted'}, 'Loading…'));
  const why = el('div', {id: 'why'});
  main.append(
    el('p', {class: 'crumbs'}, el('a', {href: '#/catalog'}, 'Catalog'), ' / ', product.id),
    el('h1', {}, product.title),
    el('div', {class: 'product-head'}, img,
      el('div', {},
        el('dl', {class: 'facts'}, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
        product.description ? el('p', {class: 'description'}, product.description) : null)),
    el('section', {'aria-labelledby': 'h-why'}, el('h2', {id: 'h-why'}, 'Why it ranks where it does'), why),
    el('section', {'aria-labelledby': 'h-similar'}, el('h2', {id: 'h-similar'}, 'More like this'), similar),
    el('section', {'aria-labelledby': 'h-after'}, el('h2', {id: 'h-after'}, 'What shoppers chose after it'),
      el('p', {class: 'help'}, 'Co-engagement: products shoppers engaged with next after this one.'), after));
  drawWhy(ctx, product, why);
  const base = new URLSearchParams({limit: '12', placement: PLACEMENT, rerank: 'false'});
  await Promise.all([
    list(ctx, '/v1/products/' + enc(id) + '/similar?' + base, similar, 'More like ' + product.title,
      'more like ' + product.title, 'No neighbours: the product may not be embedded yet.'),
    // co-engagement alone: content likeness switched off, so only what shoppers went on to remains
    list(ctx, '/v1/products/' + enc(id) + '/similar?' + base + '&weights=similar:0,coEngagement:1', after,
      'Chosen after ' + product.title, null, 'No shopper has gone on from this product to another yet.',
      i => (i.reasons || []).some(r => r.source === 'coEngagement')),
  ]);
}

async function list(ctx, path, box, label, rememberAs, empty, keep = () => true) {
  try {
    const answer = await ctx.api('GET', path);
    const items = answer.items.filter(keep);
    if (rememberAs) remember(rememberAs, answer);
    box.replaceChildren(...(items.length ? [listFacts(answer), linkedGrid(items, label),
      el('details', {}, el('summary', {}, 'Every reason'), reasonsTable(items, label))] : [el('p', {class: 'muted'}, empty)]));
  } catch (problem) {
    if (problem.name === 'AbortError') return;
    box.replaceChildren(el('p', {class: 'form-error', role: 'alert'}, problemText(problem)));
  }
}

/** What the list it was opened from said, and a form to ask where it stands in a search or a shopper's feed. */
function drawWhy(ctx, product, box) {
  const from = seen.get(product.id);
  const answer = el('div', {id: 'why-answer', 'aria-live': 'polite'});
  const q = el('input', {type: 'search', id: 'why-q', name: 'q', autocomplete: 'off'});
  const user = ctx.can('data-scientist') ? el('input', {type: 'text', id: 'why-user', name: 'userId', autocomplete: 'off',
    spellcheck: 'false'}) : null;
  const form = el('form', {class: 'toolbar', id: 'why-form', novalidate: true},
    el('div', {class: 'field'}, el('label', {for: 'why-q'}, 'In the search for'), q),
    user ? el('div', {class: 'field'}, el('label', {for: 'why-user'}, 'Or in the feed of shopper'), user) : null,
    el('button', {type: 'submit'}, 'Explain'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const words = q.value.trim(), shopper = user ? user.value.trim() : '';
    if (!words && !shopper) { answer.replaceChildren(el('p', {class: 'form-error'}, 'Give search words or a shopper.')); return; }
    const params = new URLSearchParams({limit: '100', placement: PLACEMENT}); // reranked as the shopper sees it
    let path, label;
    if (words) { params.set('q', words); if (shopper) params.set('userId', shopper); path = '/v1/search?' + params;
      label = 'the search for "' + words + '"' + (shopper ? ' by ' + shopper : ''); }
    else { path = '/v1/users/' + enc(shopper) + '/feed?' + params; label = shopper + '\'s feed'; }
    answer.replaceChildren(el('p', {class: 'muted'}, 'Asking…'));
    try {
      const list = await ctx.api('GET', path);
      const item = list.items.find(i => i.productId === product.id);
      answer.replaceChildren(item ? explanation(product, label, {...item, modelVersion: list.modelVersion})
        : el('p', {}, 'Not in the first 100 of ' + label + ' (ranked by ' + list.modelVersion + ').'));
    } catch (problem) {
      if (problem.name !== 'AbortError') answer.replaceChildren(el('p', {class: 'form-error', role: 'alert'}, problemText(problem)));
    }
  });
  box.replaceChildren(
    from ? el('div', {id: 'why-from'}, explanation(product, from.list, from))
      : el('p', {class: 'help'}, 'Ask where this product stands in a list.'),
    el('p', {class: 'help'}, 'Each reason is a source that put it there, strongest first; the first is what sets it apart '
      + 'from the rest of the list.'),
    form, answer);
}

function explanation(product, label, item) {
  return el('div', {class: 'card explanation'},
    el('p', {}, el('strong', {}, '#' + item.position), ' in ' + label,
      item.score !== null && item.score !== undefined ? ', score ' + item.score.toFixed(3) : '',
      item.modelVersion ? ', ranked by ' + item.modelVersion : '', '.'),
    el('ul', {class: 'reasons'}, (item.reasons || []).map(r => el('li', {}, el('span', {class: 'source'}, r.source), ' ',
      r.detail || ''))));
}
