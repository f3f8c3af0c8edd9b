// Catalog section: one shopper, for support and debugging (data scientists and operators): the
// taste profile, recent items and their feed with the reasons of every item.
import {el, table, problemText} from './app.js';
import {enc, linkedGrid, reasonsTable, listFacts, remember, PLACEMENT} from './catalog-shared.js';

export function renderShopperSearch(main, ctx) {
  const id = el('input', {type: 'text', id: 'shopper-id', name: 'userId', required: true, autocomplete: 'off', spellcheck: 'false'});
  const form = el('form', {class: 'toolbar', id: 'shopper-open'},
    el('div', {class: 'field'}, el('label', {for: 'shopper-id'}, 'Shopper id'), id),
    el('button', {type: 'submit', class: 'primary'}, 'Open'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (id.value.trim()) ctx.navigate('#/shoppers/' + enc(id.value.trim()));
  });
  main.append(el('h1', {}, 'Shoppers'),
    el('p', {class: 'help'}, 'Open a shopper by the id the shop sends with their events: their taste profile, recent items '
      + 'and the feed they get, with the reasons of each item.'), form);
}

export async function renderShopper(main, ctx, userId) {
  let profile = null;
  try {
    profile = await ctx.api('GET', '/v1/users/' + enc(userId) + '/profile');
  } catch (problem) {
    if (problem.status !== 404) throw problem;
  }
  const feed = el('div', {id: 'shopper-feed'}, el('p', {class: 'muted'}, 'Loading…'));
  main.append(el('p', {class: 'crumbs'}, el('a', {href: '#/shoppers'}, 'Shoppers'), ' / ', userId),
    el('h1', {}, 'Shopper ' + userId));
  if (!profile) {
    main.append(el('p', {}, 'No engagement from this shopper yet: their feed is what a new shopper sees.'));
  } else {
    const facts = [['Events', profile.events.toLocaleString()],
      ['Last event', profile.lastEventAt ? new Date(profile.lastEventAt).toLocaleString() : '—'],
      ['Taste vector', profile.hasTasteVector ? 'yes, in ' + profile.modelVersion : 'not yet'],
      ['Hidden', profile.hiddenCount], ['Bought', profile.purchasedCount]];
    main.append(el('div', {class: 'split even'},
      el('section', {'aria-labelledby': 'h-profile', class: 'card'}, el('h2', {id: 'h-profile'}, 'Profile'),
        el('dl', {class: 'facts'}, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))),
      el('section', {'aria-labelledby': 'h-taste', class: 'card'}, el('h2', {id: 'h-taste'}, 'Taste'),
        affinities('Top categories', profile.topCategories), affinities('Top brands', profile.topBrands))),
      el('section', {'aria-labelledby': 'h-recent'}, el('h2', {id: 'h-recent'}, 'Recent items'),
        table([
          {label: 'When', value: r => new Date(r.occurredAt).toLocaleString()},
          {label: 'Event', value: r => r.type},
          {label: 'Product', value: r => el('a', {href: '#/products/' + enc(r.productId)}, r.title || r.productId)},
        ], profile.recentItems || [], {caption: 'Newest first', empty: 'No recent items.'})));
  }
  main.append(el('section', {'aria-labelledby': 'h-feed'}, el('h2', {id: 'h-feed'}, 'Their feed'), feed));
  try {
    const list = await ctx.api('GET', '/v1/users/' + enc(userId) + '/feed?' + new URLSearchParams({limit: '12', placement: PLACEMENT}));
    remember(userId + '\'s feed', list);
    feed.replaceChildren(listFacts(list), linkedGrid(list.items, userId + '\'s feed'),
      el('h3', {}, 'Why these'), reasonsTable(list.items, 'Each item\'s reasons, strongest first'));
  } catch (problem) {
    if (problem.name !== 'AbortError') feed.replaceChildren(el('p', {class: 'form-error', role: 'alert'}, problemText(problem)));
  }
}

function affinities(caption, rows) {
  return table([
    {label: 'Name', value: a => a.name},
    {label: 'Share', value: a => el('span', {class: 'score'},
      el('span', {class: 'score-bar', style: {width: Math.round(100 * a.share) + '%'}}),
      el('span', {class: 'score-value'}, Math.round(100 * a.share) + ' %'))},
  ], rows || [], {caption, empty: 'None yet.'});
}
