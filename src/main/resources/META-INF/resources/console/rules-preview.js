// The live preview beside the rule form: POST /v1/merchandising/preview with the draft, drawn as
// the list before (the live rules) and after (the live rules with this draft in place of the
// stored rule), products marked moved / added / removed, and which rule did what. Redrawn a
// moment after the form or the preview's own controls change; nothing goes live.
import {el, productGrid, fieldErrors, problemText} from './app.js';
import {SURFACES} from './rules.js';

const DELAY_MS = 400;

/**
 * panel: the element to draw in; options.draft(): the rule body now; options.ruleId: the stored
 * rule being edited (left out of "after"), or null; options.showErrors(problem|null): shows the
 * draft's own mistakes at the rule form's fields. Returns {schedule(delayMs)}.
 */
export function attachPreview(panel, ctx, options) {
  const saved = JSON.parse(sessionStorage.getItem('tastemaker.console.preview') || '{}');
  const surface = el('select', {id: 'preview-surface', name: 'surface'},
    SURFACES.map(s => el('option', {value: s, selected: s === (saved.surface || 'feed')}, s)));
  const userId = el('input', {id: 'preview-user', name: 'userId', type: 'text', value: saved.userId || 'new-visitor',
    'aria-describedby': 'preview-user-help'});
  const query = el('input', {id: 'preview-query', name: 'query', type: 'search', value: saved.query || ''});
  const productId = el('input', {id: 'preview-product', name: 'productId', type: 'text', value: saved.productId || ''});
  const limit = el('select', {id: 'preview-limit', name: 'limit'},
    [6, 12, 24, 48].map(n => el('option', {value: n, selected: n === (saved.limit || 12)}, String(n))));
  const field = (control, label, help) => el('div', {class: 'field', dataset: {for: control.name}},
    el('label', {for: control.id}, label), control, help || null);
  const controls = el('form', {class: 'row', novalidate: true, 'aria-label': 'Preview for', onsubmit: e => e.preventDefault()},
    el('p', {class: 'form-error', 'data-form-error': true, role: 'alert', hidden: true, style: {flexBasis: '100%'}}),
    field(surface, 'List'),
    field(userId, 'Shopper id', el('span', {class: 'help', id: 'preview-user-help'}, 'an unknown id: a first visit')),
    field(query, 'Query'),
    field(productId, 'Product id'),
    field(limit, 'Show'));
  const status = el('p', {class: 'muted', id: 'preview-status', role: 'status', 'aria-live': 'polite'}, 'Preparing the preview…');
  const effects = el('div', {id: 'preview-effects'});
  const before = el('div', {id: 'preview-before'});
  const after = el('div', {id: 'preview-after'});
  panel.append(
    el('h2', {id: 'preview-heading', style: {marginTop: 0}}, 'Live preview'),
    el('p', {class: 'help'}, 'The list as shoppers would see it before and after this draft. Nothing goes live until you save.'),
    controls, status, effects,
    el('h3', {}, 'After, with this draft'), after,
    el('h3', {}, 'Before, with the live rules'), before);

  const sync = () => {
    const s = surface.value;
    controls.querySelector('[data-for="query"]').hidden = !(s === 'search' || s === 'assistant');
    controls.querySelector('[data-for="productId"]').hidden = s !== 'similar';
  };
  sync();

  let timer = null;
  let running = null;
  let seq = 0;

  const run = async () => {
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    const mine = ++seq;
    ctx.signal.addEventListener('abort', () => controller.abort(), {once: true});
    const draft = options.draft();
    const body = {surface: surface.value, limit: Number(limit.value), rules: draft ? [draft] : []};
    if (userId.value.trim()) body.userId = userId.value.trim();
    if (surface.value === 'similar' && productId.value.trim()) body.productId = productId.value.trim();
    if ((surface.value === 'search' || surface.value === 'assistant')) body.query = query.value;
    if (options.ruleId !== null && options.ruleId !== undefined) body.withoutRuleIds = [options.ruleId];
    if (draft && draft.startsAt && Date.parse(draft.startsAt) > Date.now()) body.at = draft.startsAt;
    sessionStorage.setItem('tastemaker.console.preview', JSON.stringify({surface: body.surface, userId: userId.value,
      query: query.value, productId: productId.value, limit: body.limit}));
    panel.dataset.preview = 'loading';
    status.textContent = 'Updating the preview…';
    let answer;
    try {
      answer = await ctx.api('POST', '/v1/merchandising/preview', {body, signal: controller.signal});
    } catch (problem) {
      if (problem.name === 'AbortError' || mine !== seq) return;
      const ruleErrors = (problem.errors || []).filter(e => e.field.startsWith('rules[0]'));
      const own = (problem.errors || []).filter(e => !e.field.startsWith('rules[0]'));
      if (ruleErrors.length) {
        options.showErrors({...problem, errors: ruleErrors.map(e => ({...e, field: e.field.replace(/^rules\[0\]\.?/, '') || 'name'}))});
      }
      fieldErrors(controls, own.length ? {...problem, errors: own} : (ruleErrors.length ? null : problem));
      status.textContent = ruleErrors.length ? 'No preview: the draft has mistakes (marked in the form).'
        : 'No preview: ' + problemText(problem);
      panel.dataset.preview = 'error';
      return;
    }
    if (mine !== seq) return;
    fieldErrors(controls, null);
    // the draft previews: whatever marked its fields (this preview or a refused save) no longer holds
    options.showErrors(null);
    draw(answer, body, draft);
    panel.dataset.previewUser = body.userId || '';
    panel.dataset.preview = 'ready';
  };

  const draw = (answer, body, draft) => {
    const beforePos = new Map(answer.before.map(r => [r.item.productId, r.position]));
    const afterPos = new Map(answer.after.map(r => [r.item.productId, r.position]));
    const byProduct = new Map();
    for (const effect of answer.effects) {
      for (const p of effect.products) {
        const list = byProduct.get(p.productId) || [];
        list.push((effect.draft ? 'this draft' : effect.name) + ': ' + effect.action);
        byProduct.set(p.productId, list);
      }
    }
    // moved: a rule put it elsewhere; up/down: it only shifted because of another product's move
    const afterMark = item => {
      const from = beforePos.get(item.productId);
      const to = afterPos.get(item.productId);
      if (from === undefined) return 'added';
      if (from === to) return null;
      return byProduct.has(item.productId) ? 'moved' : (to > from ? 'down' : 'up');
    };
    const beforeMark = item => !afterPos.has(item.productId) ? 'removed'
      : byProduct.has(item.productId) && beforePos.get(item.productId) !== afterPos.get(item.productId) ? 'moved' : null;
    const note = item => {
      const rules = byProduct.get(item.productId);
      const from = beforePos.get(item.productId);
      const moved = from && afterPos.get(item.productId) && from !== afterPos.get(item.productId) ? `was #${from}` : null;
      return [moved, rules ? rules.join('; ') : null].filter(Boolean).join(' · ') || null;
    };
    after.replaceChildren(answer.after.length ? productGrid(answer.after, {marks: afterMark, note, label: 'After, with this draft'})
      : el('p', {class: 'muted'}, 'This list is empty.'));
    before.replaceChildren(answer.before.length ? productGrid(answer.before, {marks: beforeMark, label: 'Before, with the live rules'})
      : el('p', {class: 'muted'}, 'This list is empty.'));
    const drafted = answer.effects.filter(e => e.draft);
    effects.replaceChildren(answer.effects.length === 0 ? el('p', {class: 'muted'}, 'No rule touches this list.')
      : el('ul', {class: 'effects'}, answer.effects.map(e => el('li', {},
        el('strong', {}, e.draft ? 'This draft' : e.name), ` (${e.action}${e.draft ? '' : ', live rule #' + e.ruleId}): `,
        e.products.map((p, i) => [i ? ', ' : '', `${p.title || p.productId} `, move(p)])))));
    const changed = answer.after.filter(r => afterMark(r.item)).length + answer.before.filter(r => beforeMark(r.item) === 'removed').length;
    status.textContent = `${body.surface} list${body.at ? ' as of ' + new Date(body.at).toLocaleString() : ''}: `
      + (!draft ? 'fill in the rule to see its effect; ' : drafted.length ? `this draft touches ${drafted.reduce((n, e) => n + e.products.length, 0)} product(s); ` : 'this draft touches nothing here; ')
      + `${changed} change(s) in the first ${body.limit}. Updated ${new Date().toLocaleTimeString()}.`;
  };

  const schedule = (delay = DELAY_MS) => {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  };
  ctx.onLeave(() => { clearTimeout(timer); if (running) running.abort(); });
  controls.addEventListener('input', () => { sync(); schedule(); });
  controls.addEventListener('change', () => { sync(); schedule(); });
  return {schedule, run};
}

function move(p) {
  const from = p.before === null || p.before === undefined ? 'not listed' : '#' + p.before;
  const to = p.after === null || p.after === undefined ? 'gone' : '#' + p.after;
  return `(${from} → ${to})`;
}
