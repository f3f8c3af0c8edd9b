// A rule's audit trail, newest first: who (the key, and the person it acted for), when, what,
// and the fields that changed, before and after.
import {el, problemText} from './app.js';

const SKIP = new Set(['version', 'createdAt', 'updatedAt', 'id']);

export async function renderAudit(section, ctx, ruleId) {
  const list = el('ol', {class: 'audit', reversed: true});
  const more = el('button', {type: 'button', hidden: true}, 'Older changes');
  section.append(list, more);
  let cursor = null;
  const load = async () => {
    let page;
    try {
      page = await ctx.api('GET', `/v1/merchandising/rules/${ruleId}/audit?limit=20` + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    } catch (problem) {
      section.append(el('p', {class: 'muted'}, 'The audit trail could not be read: ' + problemText(problem)));
      return;
    }
    for (const entry of page.items) list.append(entryItem(entry));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', load);
  await load();
}

function entryItem(entry) {
  const changes = diff(entry.before, entry.after);
  return el('li', {class: 'card', style: {marginBottom: '.5rem'}},
    el('p', {style: {margin: 0}}, el('strong', {}, entry.operation), ' by ', el('span', {}, entry.actor), ' · ',
      el('time', {datetime: entry.at}, new Date(entry.at).toLocaleString())),
    changes.length === 0 ? el('p', {class: 'muted'}, 'No field changed.')
      : el('table', {class: 'diff'},
        el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Field'), el('th', {scope: 'col'}, 'Before'), el('th', {scope: 'col'}, 'After'))),
        el('tbody', {}, changes.map(c => el('tr', {},
          el('th', {scope: 'row'}, c.field),
          el('td', {}, c.before === undefined ? '' : el('del', {}, show(c.before))),
          el('td', {}, c.after === undefined ? '' : el('ins', {}, show(c.after))))))));
}

/** The fields that differ between two rule versions (match flattened to match.type, match.value). */
export function diff(before, after) {
  const a = flatten(before || {});
  const b = flatten(after || {});
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(f => !SKIP.has(f));
  return fields.filter(f => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
    .map(f => ({field: f, before: a[f], after: b[f]}));
}

function flatten(rule) {
  const out = {};
  for (const [k, v] of Object.entries(rule)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) out[k + '.' + k2] = v2;
    } else if (v !== null && !(Array.isArray(v) && v.length === 0)) {
      out[k] = v;
    }
  }
  return out;
}

function show(value) {
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
