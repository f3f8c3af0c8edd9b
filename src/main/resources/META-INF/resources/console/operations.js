// Operations (operator): the figures an operator watches, refreshed every few seconds while the
// tab is visible, and the dead letters (operations-dead-letters.js, #/operations/dead-letters).
// Everything comes from GET /v1/operations/summary (docs/operations.md#the-operations-endpoints).
import {el, table, problemText} from './app.js';

const REFRESH_MS = 5000;

export async function render(main, ctx) {
  if (ctx.route.parts[1] === 'dead-letters') {
    const {renderDeadLetters} = await import('./operations-dead-letters.js');
    return renderDeadLetters(main, ctx);
  }
  return renderOverview(main, ctx);
}

/** The section's own tabs: overview and dead letters. */
export function subnav(current) {
  const link = (hash, label) => el('li', {}, el('a', {href: hash, 'aria-current': hash === current ? 'page' : false}, label));
  return el('nav', {class: 'subnav', 'aria-label': 'Operations pages'},
    el('ul', {}, link('#/operations', 'Overview'), link('#/operations/dead-letters', 'Dead letters')));
}

async function renderOverview(main, ctx) {
  const status = el('p', {class: 'muted', id: 'ops-updated'}, 'Loading…');
  const error = el('p', {class: 'form-error', role: 'alert', hidden: true});
  const cards = el('div', {class: 'ops-cards', id: 'ops-cards'});
  const pause = el('button', {type: 'button', 'aria-pressed': 'false'}, 'Pause updates');
  main.append(
    el('h1', {}, 'Operations'),
    subnav('#/operations'),
    el('div', {class: 'toolbar'}, status, pause),
    error, cards);

  let timer = null;
  let paused = false;
  let left = false;
  const load = async () => {
    clearTimeout(timer);
    try {
      const summary = await ctx.api('GET', '/v1/operations/summary');
      draw(cards, summary);
      error.hidden = true;
      status.textContent = 'Updated ' + new Date(summary.at).toLocaleTimeString()
        + (paused ? ' · updates paused' : ' · refreshes every ' + REFRESH_MS / 1000 + ' s while this tab is visible')
        + (summary.windowSeconds < 55 ? ` · rates cover the last ${Math.round(summary.windowSeconds)} s (since start)` : '');
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      error.textContent = 'The figures could not be loaded: ' + problemText(problem);
      error.hidden = false;
    }
    schedule();
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!paused && !left && document.visibilityState === 'visible') timer = setTimeout(load, REFRESH_MS);
  };
  const visibility = () => {
    if (document.visibilityState === 'visible') load(); else clearTimeout(timer);
  };
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume updates' : 'Pause updates';
    if (paused) clearTimeout(timer); else load();
  });
  document.addEventListener('visibilitychange', visibility);
  ctx.onLeave(() => {
    left = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', visibility);
  });
  await load();
}

function draw(cards, s) {
  cards.replaceChildren(
    card('Consumer lag', 'ops-lag',
      s.consumersUnavailable ? el('p', {class: 'form-error'}, s.consumersUnavailable) : null,
      table([
        {label: 'Group', value: c => c.group},
        {label: 'Topic', value: c => c.topic},
        {label: 'Lag (records)', value: c => figure(c.lag, 'lag-' + c.group), class: 'num'},
        {label: 'Records/s here', value: c => rate(c.recordsPerSecond), class: 'num'},
      ], s.consumers || [], {caption: 'Records on the broker not processed yet, per consumer group'}), 'double'),
    card('Events per second', 'ops-events',
      el('dl', {class: 'figures'},
        term('Accepted', figure(rate(s.events.acceptedPerSecond), 'events-accepted'), 'POST /v1/events, acknowledged by the broker'),
        term('Applied', figure(rate(s.events.appliedPerSecond), 'events-applied'), 'by the engagement consumers of this instance')),
      el('p', {class: 'help'}, 'Over the last minute.')),
    card('LLM reranking', 'ops-llm', llm(s.llm)),
    card('Circuit breakers and readiness', 'ops-health', health(s), 'double'),
    card('Served lists', 'ops-served',
      el('dl', {class: 'figures'},
        term('Recorded', figure(s.servedLists.recorded, 'served-recorded')),
        term('Dropped', figure(s.servedLists.dropped, 'served-dropped'),
          Object.entries(s.servedLists.droppedByReason || {}).map(([r, n]) => r + ': ' + n).join(', ') || 'none'),
        term('Queued', figure(s.servedLists.queued, 'served-queued'))),
      el('p', {class: 'help'}, 'Since this instance started. A dropped list loses its attribution.')),
    card('Latency per endpoint', 'ops-latency',
      table([
        {label: 'Endpoint', value: e => el('code', {}, e.method + ' ' + e.uri)},
        {label: 'Requests', value: e => e.requests, class: 'num'},
        {label: 'p50 (ms)', value: e => ms(e.p50Ms), class: 'num'},
        {label: 'p99 (ms)', value: e => ms(e.p99Ms), class: 'num'},
        {label: '5xx', value: e => e.errors, class: 'num'},
      ], s.endpoints || [], {caption: 'Last minute; p50/p99 of successful answers', empty: 'No API calls yet.'}),
      'wide'));
}

/** A figure card; a last argument 'wide' (the whole row) or 'double' (two columns) sizes it. */
function card(title, id, ...children) {
  const size = ['wide', 'double'].includes(children[children.length - 1]) ? ' ' + children.pop() : '';
  return el('section', {class: 'card ops-card' + size, id, 'aria-labelledby': id + '-h'},
    el('h2', {id: id + '-h'}, title), children);
}

function term(label, value, help) {
  return [el('dt', {}, label), el('dd', {}, value, help ? el('span', {class: 'help'}, help) : null)];
}

function figure(value, name) {
  return el('span', {class: 'figure', dataset: {figure: name}}, value === null || value === undefined ? '–' : String(value));
}

function rate(value) {
  if (value === null || value === undefined) return '–';
  return value >= 100 ? Math.round(value).toLocaleString() : value.toFixed(value >= 10 ? 1 : 2);
}

function ms(value) {
  return value === null || value === undefined ? '–' : value.toFixed(value >= 100 ? 0 : 1);
}

function llm(l) {
  if (!l || !l.enabled) return el('p', {class: 'muted'}, 'Not configured: lists are not reranked by an LLM.');
  const hit = l.cacheHitRate === null ? '–' : Math.round(l.cacheHitRate * 100) + ' %';
  const money = v => v === null || v === undefined ? '–' : v.toFixed(v < 1 ? 4 : 2);
  return el('dl', {class: 'figures'},
    term('Calls', figure(l.calls, 'llm-calls'), l.callsInWindow + ' in the last minute'),
    term('Failures', figure(l.failures, 'llm-failures'), l.failuresInWindow + ' in the last minute'),
    term('Cache hit rate', figure(hit, 'llm-cache')),
    term('Cost', figure(money(l.cost), 'llm-cost'), money(l.costPerThousandLists) + ' per 1,000 lists'));
}

function health(s) {
  const state = value => el('span', {class: 'badge ' + stateClass(value)}, value);
  return [
    el('p', {}, 'Readiness: ', state(s.health.status)),
    table([
      {label: 'Dependency', value: b => b.dependency},
      {label: 'Breaker', value: b => state(b.state)},
    ], s.breakers || [], {caption: 'Circuit breakers', empty: 'No breakers registered yet.'}),
    table([
      {label: 'Check', value: c => c.name},
      {label: 'Status', value: c => state(c.status)},
      {label: 'Details', value: c => details(c.data)},
    ], s.health.checks || [], {caption: 'Readiness checks'}),
  ];
}

function details(data) {
  if (!data || typeof data !== 'object') return '';
  return Object.entries(data).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(' · ');
}

function stateClass(value) {
  const v = String(value).toLowerCase();
  return v === 'up' || v === 'closed' ? 'ok' : v === 'half-open' ? 'warn' : 'bad';
}
