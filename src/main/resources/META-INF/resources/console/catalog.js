// Catalog and shoppers, for support and debugging: search the catalog, open a product (its
// neighbours, what shoppers chose after it, why it ranks where it does), open a shopper (profile,
// recent items, their feed with reasons; data scientists and operators only, as the API allows).
import {el, notify, problemText} from './app.js';
import {enc, linkedGrid, remember, listFacts, PLACEMENT} from './catalog-shared.js';
import {renderProduct} from './catalog-product.js';
import {renderShopper, renderShopperSearch} from './catalog-shopper.js';

export async function render(main, ctx) {
  const [section, id] = ctx.route.parts;
  if (section === 'products' && id) return renderProduct(main, ctx, id);
  if (section === 'shoppers') {
    if (!ctx.can('data-scientist')) {
      main.append(el('h1', {}, 'Shoppers'), el('p', {}, 'Only data scientists and operators may read shoppers\' profiles.'));
      return;
    }
    return id ? renderShopper(main, ctx, id) : renderShopperSearch(main, ctx);
  }
  return renderSearch(main, ctx);
}

const FILTERS = ['category', 'brand', 'minPrice', 'maxPrice'];

async function renderSearch(main, ctx) {
  const query = ctx.route.query;
  const q = el('input', {type: 'search', id: 'cat-q', name: 'q', value: query.get('q') || '', required: true,
    placeholder: 'cozy reading lamp', autocomplete: 'off'});
  const filters = FILTERS.map(f => el('input', {type: f.endsWith('Price') ? 'number' : 'text', id: 'cat-' + f, name: f,
    value: query.get(f) || '', min: f.endsWith('Price') ? 0 : null, step: 'any'}));
  const inStock = el('input', {type: 'checkbox', id: 'cat-inStock', name: 'inStock', checked: query.get('inStock') === 'true'});
  const labels = {category: 'Category', brand: 'Brand', minPrice: 'Min price', maxPrice: 'Max price'};
  const form = el('form', {class: 'toolbar', id: 'catalog-search', role: 'search', novalidate: true},
    el('div', {class: 'field grow'}, el('label', {for: 'cat-q'}, 'Search the catalog'), q),
    filters.map(input => el('div', {class: 'field narrow'}, el('label', {for: input.id}, labels[input.name]), input)),
    el('div', {class: 'field inline'}, inStock, el('label', {for: 'cat-inStock'}, 'In stock')),
    el('button', {type: 'submit', class: 'primary'}, 'Search'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    filters.forEach(input => { if (input.value.trim()) params.set(input.name, input.value.trim()); });
    if (inStock.checked) params.set('inStock', 'true');
    ctx.navigate('#/catalog?' + params);
  });
  const open = el('input', {type: 'text', id: 'cat-open', name: 'productId', autocomplete: 'off', spellcheck: 'false'});
  const openForm = el('form', {class: 'toolbar', id: 'catalog-open'},
    el('div', {class: 'field'}, el('label', {for: 'cat-open'}, 'Open a product by id'), open),
    el('button', {type: 'submit'}, 'Open'));
  openForm.addEventListener('submit', event => {
    event.preventDefault();
    if (open.value.trim()) ctx.navigate('#/products/' + enc(open.value.trim()));
  });
  const results = el('section', {'aria-labelledby': 'h-results', id: 'catalog-results'});
  main.append(el('h1', {}, 'Catalog'), form, openForm, results);
  if (!query.get('q')) {
    results.append(el('h2', {id: 'h-results', class: 'visually-hidden'}, 'Results'),
      el('p', {class: 'muted'}, 'Search in words (the catalog is searched by meaning, as shoppers search it), or open a product by its id.'));
    return;
  }
  const params = new URLSearchParams({q: query.get('q'), limit: '48', placement: PLACEMENT, rerank: 'false'});
  [...FILTERS, 'inStock'].forEach(f => { if (query.get(f)) params.set(f, query.get(f)); });
  try {
    const list = await ctx.api('GET', '/v1/search?' + params);
    remember('the search for "' + query.get('q') + '"', list);
    results.append(el('h2', {id: 'h-results'}, list.items.length + ' products for "' + query.get('q') + '"'),
      listFacts(list), linkedGrid(list.items, 'Search results'));
  } catch (problem) {
    if (problem.name === 'AbortError') return;
    results.append(el('h2', {id: 'h-results'}, 'Results'));
    results.append(el('p', {class: 'form-error', role: 'alert'}, problemText(problem)));
    if (problem.errors && problem.errors.length) notify(problem.errors.map(e => e.field + ': ' + e.message).join('; '), 'error');
  }
}
