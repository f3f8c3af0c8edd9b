// Models and experiments (data scientists): the registry with each version's state and build
// progress, a version's evaluation job (its progress, then its verdict with intervals and the feed
// weights it chose), promote / roll back / retire, register and index a version, fine-tunes, and
// the A/B split (models-experiment.js).
import {el, table, notify, fieldErrors, problemText} from './app.js';
import {enc, poller, progressBar, fineTuneProgress, stateBadge, versionActions, promote, rollback, retire,
  startIndex, duration} from './models-shared.js';
import {registerForm, fineTuneForm} from './models-forms.js';
import {experimentSection} from './models-experiment.js';

export async function render(main, ctx) {
  const version = ctx.route.parts[1];
  return version ? renderVersion(main, ctx, version) : renderRegistry(main, ctx);
}

const running = v => v.state === 'indexing';
const training = j => j.state === 'training' || j.state === 'trained';
const unfinished = job => !!job && (job.state === 'queued' || job.state === 'running');

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
      {label: 'Verdict', value: v => verdictWords(v.evaluation)},
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

/** A version's latest evaluation in a few words: where it runs, or what it found. */
function verdictWords(job) {
  if (!job) return el('span', {class: 'muted'}, 'not evaluated');
  if (unfinished(job)) return job.state + (job.percent !== null && job.percent !== undefined ? ' ' + job.percent + ' %' : '');
  if (job.state !== 'done' || !job.verdict) return job.state;
  return el('span', {class: job.verdict.worse ? 'verdict worse' : 'verdict'},
    (job.verdict.worse ? 'worse than ' : 'not worse than ') + job.verdict.active.version);
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
  let job = v.evaluation || null;
  const head = el('p', {});
  const details = el('dl', {class: 'facts'});
  const bar = progressBar(v);
  const actions = el('div', {class: 'actions start'});
  const gate = el('div', {id: 'gate', 'aria-live': 'polite'});
  const gateTools = el('div', {class: 'toolbar'});

  const draw = () => {
    head.replaceChildren(stateBadge(v.state), ' ', v.state === 'active' ? 'This version ranks every list.'
      : v.state === 'ready' ? 'Built and kept current; ' + registry.active + ' is active.' : '');
    const spec = Object.entries(v.spec || {}).filter(([, value]) => value !== null && value !== undefined);
    details.replaceChildren(...[['Kind', v.kind], ['Dimensions', v.dimension], ['Collection', v.collection],
      ...spec, ['Feed weights', v.feedWeights ? weightsText(v.feedWeights) : 'the configured ones (no verdict chose any)'],
      ['Co-engagement floor', v.coEngagementFloor == null ? null : String(v.coEngagementFloor)],
      ['Registered', when(v.createdAt)], ['Updated', when(v.updatedAt)], ['Error', v.error]]
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
    drawGate();
  };
  const drawGate = () => {
    const built = v.state === 'ready' || v.state === 'active';
    const tools = [];
    if (unfinished(job)) {
      tools.push(el('button', {type: 'button', id: 'evaluate-cancel', onclick: cancelEvaluation}, 'Cancel the evaluation'));
    } else if (built) {
      tools.push(el('button', {type: 'button', id: 'evaluate', class: job ? '' : 'primary', onclick: startEvaluation},
        job ? 'Evaluate again' : 'Evaluate'));
    }
    gateTools.replaceChildren(...tools);
    if (!built && !job) {
      gate.dataset.done = '';
      gate.replaceChildren(el('p', {class: 'muted'}, 'A version is evaluated once its index is built.'));
    } else {
      drawEvaluation(gate, job);
    }
  };
  async function startEvaluation() {
    try {
      job = await ctx.api('POST', '/v1/models/' + enc(v.version) + '/evaluate');
    } catch (problem) {
      if (problem.name !== 'AbortError') notify(problemText(problem), 'error');
      return;
    }
    drawGate();
    polling.kick();
  }
  async function cancelEvaluation() {
    try {
      job = await ctx.api('POST', '/v1/models/' + enc(v.version) + '/evaluation:cancel');
      notify('The evaluation stops within a second or so.');
    } catch (problem) {
      if (problem.name !== 'AbortError') notify(problemText(problem), 'error');
    }
    drawGate();
    polling.kick();
  }
  async function reload() {
    [v, registry] = await Promise.all([ctx.api('GET', '/v1/models/' + enc(name)), ctx.api('GET', '/v1/models')]);
    job = v.evaluation || null;
    draw();
    polling.kick();
  }
  // a poll while the index builds or the evaluation runs; a finished evaluation brings the version's new weights
  const polling = poller(ctx, async () => {
    if (unfinished(job)) {
      job = await ctx.api('GET', '/v1/models/' + enc(name) + '/evaluation');
      if (!unfinished(job)) { await reload(); return; }
      drawGate();
    }
    if (running(v)) {
      const before = v.state;
      v = await ctx.api('GET', '/v1/models/' + enc(name));
      if (v.state !== before) await reload(); else bar.update(v);
    }
  }, () => running(v) || unfinished(job));

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
      el('h2', {id: 'h-gate'}, 'Evaluation beside the active version'),
      el('p', {class: 'help'}, 'The gate judges this version and the active one on the same shoppers\' recent engagement, '
        + 'in the background (one evaluation at a time; it goes on if you leave this page). Its verdict is kept with the '
        + 'version: a promotion needs it and is refused when the version is worse; promoting brings the feed weights it chose.'),
      gateTools,
      gate));
  polling.kick();
}

/** The latest evaluation job: its progress while it runs, then its verdict with intervals and weights. */
function drawEvaluation(box, job) {
  if (!job) {
    box.dataset.done = '';
    box.replaceChildren(el('p', {class: 'muted'}, 'Not evaluated yet: a promotion needs a verdict (or force).'));
    return;
  }
  box.dataset.state = job.state;
  if (unfinished(job)) {
    box.dataset.done = 'busy';
    const bar = el('progress', {max: 100, 'aria-label': 'Evaluation of ' + job.version});
    if (job.percent !== null && job.percent !== undefined) bar.value = job.percent;
    const words = job.state === 'queued' ? ['queued'] : [(job.percent ?? 0) + ' %',
      (job.done ?? 0).toLocaleString() + ' of ' + (job.total === null || job.total === undefined ? '?' : job.total.toLocaleString()) + ' shoppers',
      job.etaSeconds !== null && job.etaSeconds !== undefined ? 'about ' + duration(job.etaSeconds) + ' left' : 'estimating…'];
    if (job.attempts > 1) words.push('run again after an interruption (attempt ' + job.attempts + ')');
    if (job.cancelRequested) words.push('cancelling…');
    box.replaceChildren(el('div', {class: 'progress', id: 'gate-progress', role: 'status',
      dataset: {state: job.state, percent: job.percent ?? ''}}, bar, el('span', {class: 'progress-text'}, words.join(' · '))));
    return;
  }
  if (job.state !== 'done' || !job.verdict) {
    box.dataset.done = job.state;
    box.replaceChildren(el('p', {class: job.state === 'failed' ? 'form-error' : 'muted', role: 'status'},
      'The latest evaluation ' + (job.state === 'failed' ? 'failed: ' + (job.error || 'no reason given') : 'was cancelled')
      + '. Evaluate again for a verdict.'));
    return;
  }
  const c = job.verdict;
  const rows = [['HR@10', 'hitRate'], ['NDCG@10', 'ndcg']].map(([label, key]) => ({label,
    candidate: c.candidate[key], active: c.active[key]}));
  const max = Math.max(0.0001, ...rows.flatMap(r => [r.candidate.high, r.active.high]));
  const cellOf = e => el('span', {class: 'score'},
    el('span', {class: 'score-bar', style: {width: (100 * e.value / max) + '%'}}),
    el('span', {class: 'score-value'}, e.value.toFixed(4) + ' [' + e.low.toFixed(4) + '–' + e.high.toFixed(4) + ']'));
  const same = c.candidate.version === c.active.version;
  const versions = same ? [c.candidate] : [c.candidate, c.active];
  box.dataset.done = 'yes';
  box.replaceChildren(
    table([
      {label: 'Metric', value: r => r.label},
      {label: c.candidate.version + (same ? ' (active)' : ''), value: r => cellOf(r.candidate)},
      ...(same ? [] : [{label: c.active.version + ' (active)', value: r => cellOf(r.active)}]),
      ...(same ? [] : [{label: 'Difference', class: 'num', value: r => signed(r.candidate.value - r.active.value)}]),
    ], rows, {caption: 'Over ' + c.candidate.shoppers.toLocaleString() + ' shoppers, with 95 % intervals'}),
    table([
      {label: 'Version', value: s => s.version + (s.version === c.active.version ? ' (active)' : '')},
      {label: 'Feed weights chosen for it', value: s => weightsText(s.feedWeights) || 'none'},
      {label: 'Co-engagement floor', value: s => s.coEngagementFloor == null ? 'none chosen' : String(s.coEngagementFloor)},
    ], versions, {caption: 'Blend weights chosen on the validation window'}),
    el('p', {class: 'help'}, windowText(c.window), ' Judged ', when(job.finishedAt), '.'),
    el('p', {class: c.worse ? 'verdict worse' : 'verdict'}, c.worse ? 'Worse than the active version: a promotion is refused unless forced. ' : '',
      c.summary));
}

const weightsText = w => Object.entries(w || {}).sort(([a], [b]) => a.localeCompare(b))
  .map(([source, weight]) => source + ' ' + weight).join(', ');

function windowText(w) {
  if (!w) return '';
  const day = t => (t ? new Date(t).toLocaleString() : '?');
  return 'Engagement before ' + day(w.cutOff) + ' trains; weights chosen up to ' + day(w.validationEnd)
    + '; scored until ' + day(w.end) + '.';
}

const signed = x => (x > 0 ? '+' : '') + x.toFixed(4);
