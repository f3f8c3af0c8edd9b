// Catalog section: what the product and shopper pages share: tiles that open a product and carry
// the reasons their list gave, and what the lists last said about a product.
import {el, productGrid, table} from './app.js';

export const enc = encodeURIComponent;

/** Lists the console asks for are recorded under this placement, apart from the shop's own. */
export const PLACEMENT = 'console';

/** What a list said about a product the person opened from it: shown on the product's page. */
export const seen = new Map();

/** A list's label ("search for \"lamp\"") and its items, remembered for the products' pages. */
export function remember(listLabel, list) {
  for (const item of list.items || []) {
    seen.set(item.productId, {list: listLabel, position: item.position, score: item.score, reasons: item.reasons || [],
      modelVersion: list.modelVersion});
  }
}

export function reasonText(reason) {
  return reason ? reason.detail || reason.source : '';
}

/** Product tiles whose titles open the product page; the first reason under each. */
export function linkedGrid(items, label, marks) {
  const grid = productGrid(items, {label, marks, note: item => reasonText((item.reasons || [])[0])});
  grid.querySelectorAll('li[data-product-id]').forEach(tile => {
    const title = tile.querySelector('.title');
    const link = el('a', {href: '#/products/' + enc(tile.dataset.productId)}, title.textContent);
    title.replaceChildren(link);
  });
  return grid;
}

/** Every item's reasons, strongest first (for "why these?"). */
export function reasonsTable(items, caption) {
  return table([
    {label: '#', class: 'num', value: i => i.position},
    {label: 'Product', value: i => el('a', {href: '#/products/' + enc(i.productId)}, i.title || i.productId)},
    {label: 'Score', class: 'num', value: i => i.score === null || i.score === undefined ? '' : i.score.toFixed(3)},
    {label: 'Reasons', value: i => el('ul', {class: 'reasons'}, (i.reasons || []).map(r =>
      el('li', {}, el('span', {class: 'source'}, r.source), ' ', r.detail || '')))},
  ], items, {caption, empty: 'The list is empty.'});
}

/** The list's own words about how it was made: model version, degraded sources, reranking. */
export function listFacts(list) {
  const facts = ['ranked by ' + (list.modelVersion || '?')];
  if (list.degraded && list.degraded.length) facts.push('degraded: ' + list.degraded.join(', '));
  if (list.rerank) facts.push(list.rerank.applied ? 'reranked by ' + list.rerank.model : 'not reranked (' + list.rerank.fallbackReason + ')');
  return el('p', {class: 'help'}, facts.join(' · '));
}
