// The rules list: state (active now / scheduled / expired / disabled), kind and text filters,
// enable/disable and delete in place, and what each rule earned over the last 30 days.
import {el, table, confirmDialog, notify, problemText} from './app.js';
import {stateOf, STATE_LABELS, ACTIONS, effectText, when, earnedText} from './rules.js';

export async function renderList(main, ctx) {
  const query = ctx.route.query;
  const state = select('filter-state', 'State', [['', 'any state'], ...Object.entries(STATE_LABELS)], query.get('state') || '');
  const kind = select('filter-kind', 'Kind', [['', 'any kind'], ...ACTIONS.map(a => [a, a])], query.get('kind') || '');
  const search = el('input', {id: 'filter-text', type: 'search', value: query.get('q') || '',
    placeholder: 'name, note, product, brand…'});
  const counts = el('p', {class: 'muted', id: 'rule-counts', 'aria-live': 'polite'});
  const holder = el('div', {id: 'rules-table'});
  main.append(
    el('div', {class: 'toolbar'},
      el('h1', {style: {margin: 0, flex: '1 1 auto'}}, 'Merchandising rules'),
      el('a', {class: 'button primary', href: '#/rules/new'}, 'New rule')),
    el('form', {class: 'toolbar', role: 'search', 'aria-label': 'Filter rules', onsubmit: e => e.preventDefault()},
      state.field, kind.field,
      el('div', {class: 'field'}, el('label', {for: 'filter-text'}, 'Search'), search)),
    counts, holder);

  let rules = [];
  let earned = new Map();
  const draw = () => {
    const text = search.value.trim().toLowerCase();
    const now = Date.now();
    const shown = rules.filter(r => (!state.control.value || stateOf(r, now) === state.control.value)
      && (!kind.control.value || r.action === kind.control.value)
      && (!text || [r.name, r.note, r.match.value, r.match.type].some(v => v && v.toLowerCase().includes(text))));
    const byState = rules.reduce((acc, r) => { const s = stateOf(r, now); acc[s] = (acc[s] || 0) + 1; return acc; }, {});
    counts.textContent = `${shown.length} of ${rules.length} rules shown · `
      + Object.keys(STATE_LABELS).map(s => `${byState[s] || 0} ${STATE_LABELS[s]}`).join(', ');
    holder.replaceChildren(table([
      {label: 'Rule', value: r => el('a', {href: '#/rules/' + r.id}, r.name)},
      {label: 'State', value: r => { const s = stateOf(r, now); return el('span', {class: 'badge ' + s}, STATE_LABELS[s]); }},
      {label: 'Effect', value: r => effectText(r)},
      {label: 'Matches', value: r => r.match.type + ': ' + r.match.value},
      {label: 'Lists', value: r => r.surfaces.length ? r.surfaces.join(', ') : 'all'},
      {label: 'Window', value: r => window_(r)},
      {label: 'Priority', value: r => r.priority, class: 'num'},
      {label: 'Earned (30 days)', value: r => earnedText(earned.get(String(r.id)))},
      {label: 'Actions', value: r => actions(r)},
    ], shown, {caption: 'Rules', empty: rules.length ? 'No rule matches these filters.' : 'No rules yet: create the first one.'}));
    const params = new URLSearchParams();
    if (state.control.value) params.set('state', state.control.value);
    if (kind.control.value) params.set('kind', kind.control.value);
    if (search.value.trim()) params.set('q', search.value.trim());
    const hash = '#/rules' + (params.toString() ? '?' + params : '');
    if (location.hash !== hash && !(location.hash === '' && hash === '#/rules')) history.replaceState(null, '', hash);
  };

  const actions = rule => el('div', {class: 'row'},
    el('button', {type: 'button', onclick: () => toggle(rule), 'aria-label': (rule.enabled ? 'Disable ' : 'Enable ') + rule.name},
      rule.enabled ? 'Disable' : 'Enable'),
    el('button', {type: 'button', class: 'danger', onclick: () => remove(rule), 'aria-label': 'Delete ' + rule.name}, 'Delete'));

  const toggle = async rule => {
    const body = {...rule, enabled: !rule.enabled};
    for (const f of ['id', 'version', 'createdAt', 'updatedAt']) delete body[f];
    for (const f of Object.keys(body)) if (body[f] === null) delete body[f];
    try {
      const saved = await ctx.api('PUT', '/v1/merchandising/rules/' + rule.id, {body, headers: {'If-Match': `"${rule.version}"`}});
      rules = rules.map(r => r.id === saved.id ? saved : r);
      notify(`"${saved.name}" is ${saved.enabled ? 'enabled' : 'disabled'}.`);
      draw();
    } catch (problem) {
      if (problem.status === 412) {
        notify(`Someone else changed "${rule.name}" since this list was loaded; the list is reloaded, try again.`, 'error');
        await load();
      } else {
        notify(problemText(problem), 'error');
      }
    }
  };

  const remove = async rule => {
    if (!await confirmDialog(`Delete the rule "${rule.name}"? Shoppers stop seeing its effect within a second. Its audit trail stays.`,
      {confirm: 'Delete rule'})) return;
    try {
      await ctx.api('DELETE', '/v1/merchandising/rules/' + rule.id);
      rules = rules.filter(r => r.id !== rule.id);
      notify(`"${rule.name}" is deleted.`);
      draw();
    } catch (problem) {
      notify(problemText(problem), 'error');
    }
  };

  const load = async () => {
    const [list, report] = await Promise.all([
      ctx.api('GET', '/v1/merchandising/rules'),
      ctx.api('GET', '/v1/analytics/rules?per=range&from=' + daysAgo(29)).catch(() => null)]);
    rules = list.items;
    earned = totals(report ? report.rows : []);
    draw();
  };
  for (const control of [state.control, kind.control]) control.addEventListener('change', draw);
  search.addEventListener('input', draw);
  await load();
}

function window_(rule) {
  if (!rule.startsAt && !rule.endsAt) return 'always';
  return (rule.startsAt ? 'from ' + when(rule.startsAt) : '') + (rule.startsAt && rule.endsAt ? ' ' : '')
    + (rule.endsAt ? 'until ' + when(rule.endsAt) : '');
}

function select(id, label, options, value) {
  const control = el('select', {id}, options.map(([v, text]) => el('option', {value: v, selected: v === value}, text)));
  return {control, field: el('div', {class: 'field'}, el('label', {for: id}, label), control)};
}

export function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Rows of GET /v1/analytics/rules summed per rule id (over placements, models and variants). */
export function totals(rows) {
  const byRule = new Map();
  for (const row of rows || []) {
    if (row.ruleId === null || row.ruleId === undefined) continue;
    const sum = byRule.get(row.ruleId) || {served: 0, impressions: 0, clicks: 0, carts: 0, purchases: 0, revenue: 0};
    for (const k of ['served', 'impressions', 'clicks', 'carts', 'purchases']) sum[k] += row[k] || 0;
    sum.revenue += Number(row.revenue || 0);
    sum.ctr = sum.impressions ? {rate: sum.clicks / sum.impressions} : null;
    byRule.set(row.ruleId, sum);
  }
  return byRule;
}
