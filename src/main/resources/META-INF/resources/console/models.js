// Models and experiments (data scientists): the registry with each version's state and build
// progress, a version's gate scores beside the active one, promote / roll back / retire, register
// and index a version, fine-tunes, and the A/B split (models-experiment.js).
import {el, table, notify, fieldErrors, problemText} from './app.js';
import {enc, poller, progressBar, fineTuneProgress, stateBadge, versionActions, promote, rollback, retire,
  startIndex} from './models-shared.js';
import {registerForm, fineTuneForm} from './models-forms.js';
import {experimentSection} from './models-experiment.js';

export async function render(main, ctx) {
  const version = ctx.route.parts[1];
  return version ? renderVersion(main, ctx, version) : renderRegistry(main, ctx);
}

const running = v => v.state === 'indexing';
const training = j => j.state === 'training' || j.state === 'trained';

// ---- the registry ----------------------------------------------------------------------------

async function renderRegistry(main, ctx) {
  const [registry, tunes] = await Promise.all([ctx.api('GET', '/v1/models'), fineTunes(ctx)]);
  let state = {registry, tunes};
  const summary = el('p', {id: 'models-summary'});
  const versionsBox = el('div', {id: 'versions'});
  const tunesBox = el('div', {id: 'fine-tunes'});
  const bars = new Map();

  const drawVersions = () => {
    bars.clear();
    const {versions, active} = state.registry;
    summary.replaceChildren('Active version: ', el('strong', {}, active || 'none'), ' · ',
      versions.filter(running).length + ' index build(s) running.');
    versionsBox.replaceChildren(table([
      {label: 'Version', value: v => el('a', {href: '#/models/' + enc(v.version)}, v.version)},
      {label: 'Kind', value: v => v.kind + (v.spec && v.spec.base ? ' over ' + v.spec.base : '')},
      {label: 'State', value: v => stateBadge(v.state)},
      {label: 'Index', value: v => { const b = progressBar(v); bars.set(v.version, b); return b.node; }},
      {label: 'Updated', value: v => when(v.updatedAt)},
      {label: 'Actions', value: v => versionActions(ctx, v, active, refresh)},
    ], versions, {caption: 'Registered versions', empty: 'No version is registered.'}));
  };
  const drawTunes = () => {
    tunesBox.replaceChildren(table([
      {label: 'Version', value: j => j.version},
      {label: 'Base', value: j => j.base},
      {label: 'Pairs', value: j => j.pairs ? j.pairs.toLocaleString() : '', class: 'num'},
      {label: 'Progress', value: j => fineTuneProgress(j)},
      {label: 'Started', value: j => when(j.startedAt)},
    ], state.tunes, {caption: 'Fine-tuning jobs', empty: 'No fine-tune has run yet.'}));
  };
  // a poll that changes no state only moves the bars, so focus and the reader's place stay put
  const update = (registry, tunes) => {
    const same = registry.versions.length === state.registry.versions.length && registry.active === state.registry.active
      && registry.versions.every(v => bars.has(v.version) && state.registry.versions.some(o => o.version === v.version && o.state === v.state));
    state = {registry, tunes: tunes ?? state.tunes};
    if (same) {
      registry.versions.forEach(v => bars.get(v.version).update(v));
    } else {
      drawVersions();
      if (experiment && !experiment.contains(document.activeElement)) experiment.redraw().catch(() => {});
    }
    if (tunes) drawTunes();
  };
  const tick = async () => {
    const [registry, tunes] = await Promise.all([ctx.api('GET', '/v1/models'),
      state.tunes.some(training) ? fineTunes(ctx) : Promise.resolve(null)]);
    update(registry, tunes);
  };
  const polling = poller(ctx, tick, () => state.registry.versions.some(running) || state.tunes.some(training));
  async function refresh() {
    try {
      update(await ctx.api('GET', '/v1/models'), await fineTunes(ctx));
    } catch (problem) {
      if (problem.name !== 'AbortError') notify(problemText(problem), 'error');
    }
    polling.kick();
  }

  drawVersions();
  drawTunes();
  const experiment = await experimentSection(ctx, () => state.registry);
  main.append(
    el('h1', {}, 'Models and experiments'),
    summary,
    el('div', {class: 'toolbar'},
      el('button', {type: 'button', id: 'rollback', onclick: async () => { if (await rollback(ctx)) refresh(); }},
        'Roll back to the previous version'),
      el('button', {type: 'button', onclick: refresh}, 'Refresh')),
    el('section', {'aria-labelledby': 'h-versions'}, el('h2', {id: 'h-versions'}, 'Versions'), versionsBox),
    el('div', {class: 'split even'},
      el('section', {'aria-labelledby': 'h-register', class: 'card'}, el('h2', {id: 'h-register'}, 'Register a version'),
        registerForm(ctx, () => state.registry.versions, refresh)),
      el('section', {'aria-labelledby': 'h-tunes', class: 'card'}, el('h2', {id: 'h-tunes'}, 'Fine-tune'),
        fineTuneForm(ctx, () => state.registry.active, refresh), tunesBox)),
    el('section', {'aria-labelledby': 'h-experiment'}, el('h2', {id: 'h-experiment'}, 'A/B experiment'), experiment));
  polling.kick();
}

async function fineTunes(ctx) {
  try {
    return (await ctx.api('GET', '/v1/models/fine-tunes')).jobs;
  } catch (problem) {
    if (problem.status === 404 || problem.status === 405) return []; // a service without the listing
    throw problem;
  }
}

export function when(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  return el('time', {datetime: instant, title: d.toISOString()}, d.toLocaleString());
}

// ---- one version -----------------------------------------------------------------------------

async function renderVersion(main, ctx, name) {
  let [v, registry] = await Promise.all([ctx.api('GET', '/v1/models/' + enc(name)), ctx.api('GET', '/v1/models')]);
  const head = el('p', {});
  const details = el('dl', {class: 'facts'});
  const bar = progressBar(v);
  const actions = el('div', {class: 'actions start'});
  const gate = el('div', {id: 'gate'});

  const draw = () => {
    head.replaceChildren(stateBadge(v.state), ' ', v.state === 'active' ? 'This version ranks every list.'
      : v.state === 'ready' ? 'Built and kept current; ' + registry.active + ' is active.' : '');
    const spec = Object.entries(v.spec || {}).filter(([, value]) => value !== null && value !== undefined);
    details.replaceChildren(...[['Kind', v.kind], ['Dimensions', v.dimension], ['Collection', v.collection],
      ...spec, ['Registered', when(v.createdAt)], ['Updated', when(v.updatedAt)], ['Error', v.error]]
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .flatMap(([k, value]) => [el('dt', {}, k), el('dd', {}, value)]));
    bar.update(v);
    const buttons = [];
    if (v.state === 'registered' || v.state === 'failed') {
      buttons.push(el('button', {type: 'button', class: 'primary', onclick: async () => { if (await startIndex(ctx, v.version)) reload(); }},
        'Build index'));
    }
    if (v.state === 'ready') {
      buttons.push(el('button', {type: 'button', class: 'primary', id: 'promote',
        onclick: async () => { if (await promote(ctx, v.version, registry.active)) reload(); }}, 'Promote'));
    }
    if (v.state === 'active') {
      buttons.push(el('button', {type: 'button', id: 'rollback', onclick: async () => { if (await rollback(ctx)) reload(); }},
        'Roll back to the previous version'));
    }
    if (['ready', 'registered', 'failed'].includes(v.state)) {
      buttons.push(el('button', {type: 'button', onclick: async () => { if (await retire(ctx, v.version)) reload(); }}, 'Retire'));
    }
    actions.replaceChildren(...buttons);
  };
  async function reload() {
    [v, registry] = await Promise.all([ctx.api('GET', '/v1/models/' + enc(name)), ctx.api('GET', '/v1/models')]);
    draw();
    polling.kick();
    if (v.state === 'ready' && !gate.dataset.done) evaluate(ctx, v.version, gate);
  }
  const polling = poller(ctx, async () => {
    const before = v.state;
    v = await ctx.api('GET', '/v1/models/' + enc(name));
    if (v.state !== before) await reload(); else bar.update(v);
  }, () => running(v));

  draw();
  main.append(
    el('p', {class: 'crumbs'}, el('a', {href: '#/models'}, 'Models'), ' / ', v.version),
    el('h1', {}, 'Model version ' + v.version),
    head,
    el('div', {class: 'split even'},
      el('section', {'aria-labelledby': 'h-facts', class: 'card'}, el('h2', {id: 'h-facts'}, 'Facts'), details),
      el('section', {'aria-labelledby': 'h-build', class: 'card'}, el('h2', {id: 'h-build'}, 'Index build'), bar.node,
        el('h2', {}, 'Actions'), actions)),
    el('section', {'aria-labelledby': 'h-gate'},
      el('h2', {id: 'h-gate'}, 'Gate scores beside the active version'),
      el('p', {class: 'help'}, 'Held-out engagement of the most recent shoppers: each one\'s latest product is hidden and '
        + 'each version is asked for the products most like the three before it. A promotion is refused when NDCG@10 is lower.'),
      el('div', {class: 'toolbar'}, el('button', {type: 'button', onclick: () => evaluate(ctx, v.version, gate)}, 'Compare again')),
      gate));
  polling.kick();
  if (v.state === 'ready' || v.state === 'active') evaluate(ctx, v.version, gate);
  else gate.replaceChildren(el('p', {class: 'muted'}, 'A version is compared once its index is built.'));
}

async function evaluate(ctx, version, box) {
  box.dataset.done = 'busy';
  box.replaceChildren(el('p', {class: 'muted', role: 'status'}, 'Scoring both versions on the same shoppers…'));
  let c;
  try {
    c = await ctx.api('POST', '/v1/models/' + enc(version) + '/evaluate');
  } catch (problem) {
    if (problem.name === 'AbortError') return;
    box.replaceChildren(el('p', {class: 'form-error', role: 'alert'}, problemText(problem)));
    return;
  }
  const rows = [['HR@10', 'hitRate'], ['NDCG@10', 'ndcg']].map(([label, key]) => ({label, key,
    candidate: c.candidate[key].value, active: c.active[key].value}));
  const max = Math.max(0.0001, ...rows.flatMap(r => [r.candidate, r.active]));
  const cellOf = value => el('span', {class: 'score'}, el('span', {class: 'score-bar', style: {width: (100 * value / max) + '%'}}),
    el('span', {class: 'score-value'}, value.toFixed(4)));
  const same = c.candidate.version === c.active.version;
  box.dataset.done = 'yes';
  box.replaceChildren(
    table([
      {label: 'Metric', value: r => r.label},
      {label: c.candidate.version + (same ? ' (active)' : ''), value: r => cellOf(r.candidate)},
      ...(same ? [] : [{label: c.active.version + ' (active)', value: r => cellOf(r.active)}]),
      ...(same ? [] : [{label: 'Difference', class: 'num', value: r => signed(r.candidate - r.active)}]),
    ], rows, {caption: 'Over ' + c.candidate.shoppers + ' shoppers'}),
    el('p', {class: c.worse ? 'verdict worse' : 'verdict'}, c.worse ? 'Worse than the active version: a promotion is refused unless forced. ' : '',
      c.summary));
}

const signed = x => (x > 0 ? '+' : '') + x.toFixed(4);
