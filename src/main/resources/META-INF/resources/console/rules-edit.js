// One rule: the form (every mistake named beside its field, from the API's problem+json), the
// live preview beside it, then what the rule earned and its audit trail. Saving an existing rule
// sends If-Match with the version it was read at; if someone changed it since, the person is told
// and may reload it (their edits stay in the form until they do).
import {el, fieldErrors, confirmDialog, notify, problemText, table} from './app.js';
import {stateOf, STATE_LABELS, ACTIONS, MATCH_TYPES, SURFACES} from './rules.js';
import {attachPreview} from './rules-preview.js';

const HINTS = {
  product: 'the exact product id, e.g. demo-00013',
  brand: 'the brand, exactly (any case)',
  category: 'a level (Garden) or a path prefix (Home > Garden)',
  tag: 'one of the products\' tags',
};

export async function renderEditor(main, ctx, id) {
  let rule = null;
  let etag = null;
  if (id !== null) {
    const answer = await ctx.api('GET', '/v1/merchandising/rules/' + encodeURIComponent(id), {full: true});
    rule = answer.data;
    etag = answer.etag;
  }
  const heading = el('h1', {}, rule ? rule.name : 'New rule');
  const status = rule ? el('p', {class: 'muted'}, el('span', {class: 'badge ' + stateOf(rule)}, STATE_LABELS[stateOf(rule)]),
    ` · version ${rule.version} · last changed ${new Date(rule.updatedAt).toLocaleString()}`) : null;
  const form = buildForm(rule);
  const conflict = el('div', {class: 'card', role: 'alert', hidden: true, id: 'conflict'});
  const save = el('button', {type: 'submit', class: 'primary'}, rule ? 'Save changes' : 'Create rule');
  const actions = el('div', {class: 'actions'},
    el('a', {class: 'button', href: '#/rules'}, 'Back to rules'),
    rule ? el('button', {type: 'button', class: 'danger', onclick: () => remove()}, 'Delete') : null,
    save);
  form.append(actions);
  const previewPanel = el('section', {class: 'card', 'aria-labelledby': 'preview-heading'});
  main.append(el('p', {}, el('a', {href: '#/rules'}, '← All rules')), heading, status, conflict,
    el('div', {class: 'split'},
      el('section', {class: 'card', 'aria-labelledby': 'form-heading'},
        el('h2', {id: 'form-heading', style: {marginTop: 0}}, rule ? 'Edit the rule' : 'Draft the rule'), form),
      previewPanel));

  // a new, untouched form is not a draft yet: the preview shows the list as it is, without errors
  let touched = rule !== null;
  const preview = attachPreview(previewPanel, ctx, {
    draft: () => touched ? draftOf(form) : null,
    ruleId: rule ? rule.id : null,
    showErrors: problem => fieldErrors(form, problem),
  });
  form.addEventListener('input', () => { touched = true; syncFields(form); preview.schedule(); });
  form.addEventListener('change', () => { syncFields(form); preview.schedule(); });
  syncFields(form);
  preview.schedule(0);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldErrors(form, null);
    save.disabled = true;
    try {
      const body = draftOf(form);
      if (rule) {
        const answer = await ctx.api('PUT', '/v1/merchandising/rules/' + rule.id,
          {body, headers: etag ? {'If-Match': etag} : {}, full: true});
        rule = answer.data;
        etag = answer.etag;
        notify(`Saved "${rule.name}" (version ${rule.version}). Shoppers see it within a second.`);
        ctx.navigate('#/rules/' + rule.id);
      } else {
        const answer = await ctx.api('POST', '/v1/merchandising/rules', {body, full: true});
        notify(`Created "${answer.data.name}". Shoppers see it within a second.`);
        ctx.navigate('#/rules/' + answer.data.id);
      }
    } catch (problem) {
      if (problem.status === 412) {
        showConflict(problem);
      } else {
        fieldErrors(form, problem);
      }
    } finally {
      save.disabled = false;
    }
  });

  const showConflict = problem => {
    conflict.hidden = false;
    conflict.replaceChildren(
      el('h2', {style: {marginTop: 0}}, 'Someone else changed this rule'),
      el('p', {}, (problem.detail || 'The rule changed since you opened it.')
        + ' Your edits were not saved; they stay in the form until you reload. Reload to see the current rule, then make your change again.'),
      el('div', {class: 'actions', style: {justifyContent: 'flex-start'}},
        el('button', {type: 'button', class: 'primary', onclick: () => ctx.navigate('#/rules/' + rule.id)}, 'Reload the rule'),
        el('a', {class: 'button', href: '#/rules/' + rule.id + '?audit=1', onclick: () => setTimeout(() =>
          document.getElementById('audit-heading')?.scrollIntoView(), 300)}, 'See who changed it')));
    conflict.querySelector('button').focus();
  };

  const remove = async () => {
    if (!await confirmDialog(`Delete the rule "${rule.name}"? Shoppers stop seeing its effect within a second. Its audit trail stays.`,
      {confirm: 'Delete rule'})) return;
    try {
      await ctx.api('DELETE', '/v1/merchandising/rules/' + rule.id);
      notify(`"${rule.name}" is deleted.`);
      ctx.navigate('#/rules');
    } catch (problem) {
      notify(problemText(problem), 'error');
    }
  };

  if (rule) {
    const earnedSection = el('section', {'aria-labelledby': 'earned-heading'}, el('h2', {id: 'earned-heading'}, 'What it earned'));
    const auditSection = el('section', {'aria-labelledby': 'audit-heading'}, el('h2', {id: 'audit-heading'}, 'Audit trail'));
    main.append(earnedSection, auditSection);
    const [{renderAudit}] = await Promise.all([import('./rules-audit.js')]);
    await Promise.all([renderEarned(earnedSection, ctx, rule), renderAudit(auditSection, ctx, rule.id)]);
  }
}

// ---- the form ------------------------------------------------------------------------------

function buildForm(rule) {
  const r = rule || {action: 'boost', match: {type: 'category', value: ''}, surfaces: [], priority: 0, enabled: true};
  const id = name => 'rule-' + name.replace('.', '-');
  const field = (name, label, control, help) => el('div', {class: 'field', dataset: {for: name}},
    el('label', {for: id(name)}, label), control,
    help ? el('span', {class: 'help', id: id(name) + '-help'}, help) : null);
  const input = (name, attrs) => el('input', {id: id(name), name, ...attrs,
    'aria-describedby': attrs.help ? id(name) + '-help' : null, help: null});
  const choice = (name, options, value) => el('select', {id: id(name), name},
    options.map(o => el('option', {value: o, selected: o === value}, o)));

  return el('form', {novalidate: true, id: 'rule-form', 'aria-label': 'Rule'},
    el('p', {class: 'form-error', 'data-form-error': true, role: 'alert', hidden: true}),
    field('name', 'Name', input('name', {type: 'text', value: r.name || '', maxlength: 200, required: true}),
      'Shoppers may see it in reasons ("boosted: spring campaign").'),
    el('div', {class: 'row'},
      field('action', 'Action', choice('action', ACTIONS, r.action)),
      field('factor', 'Factor', input('factor', {type: 'number', step: '0.1', value: r.factor ?? (r.action === 'bury' ? 0.5 : 1.5),
        help: true}), 'boost: above 1, at most 100; bury: between 0 and 1'),
      field('position', 'Position', input('position', {type: 'number', step: '1', value: r.position ?? 1, help: true}),
        'pin: 1–100 in the whole list')),
    el('div', {class: 'row'},
      field('match.type', 'Match', choice('match.type', MATCH_TYPES, r.match.type)),
      field('match.value', 'Value', input('match.value', {type: 'text', value: r.match.value || '', help: true}),
        HINTS[r.match.type])),
    el('fieldset', {'data-field': 'surfaces', id: 'rule-surfaces', 'aria-describedby': 'rule-surfaces-help'},
      el('legend', {}, 'Lists it applies to'),
      el('div', {class: 'checks'}, SURFACES.map(s => el('label', {},
        el('input', {type: 'checkbox', name: 'surfaces', value: s, checked: (r.surfaces || []).includes(s)}), ' ' + s))),
      el('span', {class: 'help', id: 'rule-surfaces-help'}, 'none ticked: every list')),
    el('div', {class: 'row'},
      field('startsAt', 'Starts', input('startsAt', {type: 'datetime-local', value: local(r.startsAt), help: true}),
        'your local time; empty: now'),
      field('endsAt', 'Ends', input('endsAt', {type: 'datetime-local', value: local(r.endsAt), help: true}),
        'empty: never'),
      field('priority', 'Priority', input('priority', {type: 'number', step: '1', value: r.priority ?? 0, help: true}),
        '−1000 to 1000; the higher wins a conflict')),
    el('div', {class: 'field inline'},
      el('input', {type: 'checkbox', id: 'rule-enabled', name: 'enabled', checked: r.enabled !== false}),
      el('label', {for: 'rule-enabled'}, 'Enabled')),
    field('note', 'Note', el('textarea', {id: 'rule-note', name: 'note', maxlength: 2000}, r.note || '')));
}

/** Shows factor only for boost/bury and position only for pin; the value hint follows the match type. */
function syncFields(form) {
  const action = form.elements.action.value;
  form.querySelector('[data-for="factor"]').hidden = !(action === 'boost' || action === 'bury');
  form.querySelector('[data-for="position"]').hidden = action !== 'pin';
  form.querySelector('#rule-match-value-help').textContent = HINTS[form.elements['match.type'].value] || '';
}

/** The form as the API's rule body; a value the browser cannot read is sent as typed, for the API to name. */
export function draftOf(form) {
  const f = form.elements;
  const action = f.action.value;
  const body = {
    name: f.namedItem('name').value,
    action,
    match: {type: f['match.type'].value, value: f['match.value'].value},
    surfaces: [...form.querySelectorAll('input[name="surfaces"]:checked')].map(c => c.value),
    enabled: f.enabled.checked,
  };
  if (action === 'boost' || action === 'bury') body.factor = number(f.factor.value);
  if (action === 'pin') body.position = number(f.position.value);
  if (f.priority.value.trim() !== '') body.priority = number(f.priority.value);
  for (const name of ['startsAt', 'endsAt']) {
    if (f[name].value) {
      const t = new Date(f[name].value);
      body[name] = isNaN(t) ? f[name].value : t.toISOString();
    }
  }
  if (f.note.value.trim()) body.note = f.note.value;
  return body;
}

function number(text) {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : (text.trim() === '' ? null : text);
}

/** An ISO instant as a datetime-local value in the browser's zone. */
function local(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ---- what it earned ------------------------------------------------------------------------

async function renderEarned(section, ctx, rule) {
  let report;
  try {
    report = await ctx.api('GET', `/v1/analytics/rules?per=range&ruleId=${rule.id}&from=${daysAgo(29)}`);
  } catch (problem) {
    section.append(el('p', {class: 'muted'}, 'Its figures could not be read: ' + problemText(problem)));
    return;
  }
  const rows = report.rows.filter(r => String(r.ruleId) === String(rule.id));
  const rate = r => r ? `${(r.rate * 100).toFixed(2)} % (${(r.low * 100).toFixed(2)}–${(r.high * 100).toFixed(2)})` : '—';
  section.append(
    el('p', {class: 'muted'}, `${report.from} to ${report.to}: the items this rule moved, in the lists where it moved them`
      + ` (revenue in ${report.currency}). Rates with their 95 % interval.`),
    table([
      {label: 'Placement', value: r => r.placement},
      {label: 'Model', value: r => r.modelVersion},
      {label: 'Variant', value: r => r.variant || 'none'},
      {label: 'Lists', value: r => r.served, class: 'num'},
      {label: 'Impressions', value: r => r.impressions, class: 'num'},
      {label: 'Clicks', value: r => r.clicks, class: 'num'},
      {label: 'CTR', value: r => rate(r.ctr), class: 'num'},
      {label: 'Purchases', value: r => r.purchases, class: 'num'},
      {label: 'Conversion', value: r => rate(r.conversion), class: 'num'},
      {label: 'Revenue', value: r => Number(r.revenue || 0).toFixed(2), class: 'num'},
    ], rows, {caption: 'Outcomes of the items it moved', empty: 'Not yet: no list it moved an item in has been served and seen.'}));
}

function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

