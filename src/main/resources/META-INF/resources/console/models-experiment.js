// Models section: the A/B split. Start it (a ready version against the active one, a share of the
// shoppers), change its share, stop it; its result per variant with the always-valid intervals
// drawn as a small inline SVG (no chart library).
import {el, table, confirmDialog, fieldErrors, notify, problemText} from './app.js';

const SVG = 'http://www.w3.org/2000/svg';
const METRICS = {
  clickThrough: {label: 'Click-through', format: x => pct(x, 2)},
  conversion: {label: 'Conversion', format: x => pct(x, 2)},
  revenuePerShopper: {label: 'Revenue per shopper', format: x => x.toFixed(2)},
  listsPerShopper: {label: 'Lists per shopper', format: x => x.toFixed(2)},
};
const pct = (x, digits) => (100 * x).toFixed(digits) + ' %';

/** The section's body; registry() gives the latest GET /v1/models (for the versions to choose from). */
export async function experimentSection(ctx, registry) {
  const box = el('div', {id: 'experiment'});
  const draw = async () => {
    let report = null;
    try {
      report = await ctx.api('GET', '/v1/models/experiment');
    } catch (problem) {
      if (problem.status !== 404) throw problem;
    }
    box.replaceChildren(...view(ctx, report, registry(), draw));
  };
  await draw();
  box.redraw = draw; // when a version's state changed: the treatments to choose from change with it
  return box;
}

function view(ctx, report, registry, redraw) {
  const e = report && report.experiment;
  const runningNow = e && !e.endedAt;
  const parts = [];
  if (!e) {
    parts.push(el('p', {class: 'muted'}, 'No experiment has run yet.'));
  } else {
    parts.push(el('p', {id: 'experiment-status'}, runningNow
      ? ['Running since ', new Date(e.startedAt).toLocaleString(), ': ', el('strong', {}, e.treatment), ' serves ',
        el('strong', {}, e.percent + ' %'), ' of the shoppers, ', e.control, ' the rest.']
      : ['The last experiment (', e.treatment, ' against ', e.control, ') ended ', new Date(e.endedAt).toLocaleString(),
        e.endReason ? ': ' + e.endReason : '', '.']));
  }
  parts.push(startForm(ctx, e, runningNow, registry, redraw));
  if (report && report.control) parts.push(...results(report));
  return parts;
}

function startForm(ctx, e, runningNow, registry, redraw) {
  const ready = registry.versions.filter(v => v.state === 'ready');
  const treatment = el('select', {name: 'treatment', id: 'exp-treatment'},
    ready.map(v => el('option', {value: v.version, selected: runningNow && v.version === e.treatment}, v.version)));
  const percent = el('input', {type: 'number', name: 'percent', id: 'exp-percent', min: 0.01, max: 100, step: 'any',
    value: runningNow ? e.percent : 10});
  const start = el('button', {type: 'submit', class: 'primary'}, runningNow ? 'Change the split' : 'Start the split');
  const stop = runningNow ? el('button', {type: 'button', class: 'danger', id: 'exp-stop', onclick: async () => {
    if (!await confirmDialog('Stop the experiment? Every shopper is served by ' + e.control + ' again; the report stays readable.',
      {confirm: 'Stop it'})) return;
    try {
      await ctx.api('DELETE', '/v1/models/experiment');
      notify('The experiment is stopped.');
      await redraw();
    } catch (problem) {
      notify(problemText(problem), 'error');
    }
  }}, 'Stop the split') : null;
  const form = el('form', {id: 'experiment-form', class: 'toolbar', novalidate: true},
    el('div', {class: 'field'}, el('label', {for: 'exp-control'}, 'Control (the active version)'),
      el('input', {type: 'text', id: 'exp-control', readonly: true, value: registry.active})),
    el('div', {class: 'field'}, el('label', {for: 'exp-treatment'}, 'Treatment (a ready version)'), treatment),
    el('div', {class: 'field'}, el('label', {for: 'exp-percent'}, 'Share of shoppers (%)'), percent),
    start, stop);
  if (!ready.length && !runningNow) {
    start.disabled = true;
    form.append(el('p', {class: 'help'}, 'Build a second version first: the treatment must be ready.'));
  }
  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldErrors(form, null);
    try {
      await ctx.api('PUT', '/v1/models/experiment', {body: {control: registry.active, treatment: treatment.value,
        percent: Number(percent.value)}});
      notify(treatment.value + ' now serves ' + percent.value + ' % of the shoppers.');
      await redraw();
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      fieldErrors(form, problem.errors.length ? problem : {detail: problemText(problem), errors: []});
    }
  });
  return form;
}

function results(report) {
  const variants = [['Control', report.control], ['Treatment', report.treatment]];
  const eventTypes = [...new Set(variants.flatMap(([, v]) => Object.keys(v.events || {})))].sort();
  const nodes = [el('h3', {}, 'Per variant'), table([
    {label: 'Variant', value: ([name, v]) => name + ': ' + v.version},
    {label: 'Shoppers', class: 'num', value: ([, v]) => v.shoppers === null ? '—' : v.shoppers.toLocaleString()},
    {label: 'Lists', class: 'num', value: ([, v]) => v.lists.toLocaleString()},
    {label: 'Items', class: 'num', value: ([, v]) => v.items.toLocaleString()},
    ...eventTypes.map(t => ({label: t, class: 'num', value: ([, v]) => ((v.events || {})[t] || 0).toLocaleString()})),
  ], variants)];
  const metrics = Object.keys(METRICS).filter(m => report.control.metrics && report.control.metrics[m]);
  if (metrics.length) {
    nodes.push(el('h3', {}, 'Metrics with their 95 % always-valid intervals'),
      el('div', {class: 'charts'}, metrics.map(m => {
        const rows = variants.map(([name, v]) => ({name, ...((v.metrics || {})[m] || {})}));
        const c = (report.comparisons || {})[m];
        return el('figure', {class: 'chart'},
          el('figcaption', {}, METRICS[m].label),
          intervalChart(rows, METRICS[m].format, METRICS[m].label),
          c && c.relativeLift && c.relativeLift.value !== null
            ? intervalChart([{name: 'Lift', ...c.relativeLift}], x => pct(x, 1), METRICS[m].label + ' lift', true) : null,
          el('p', {class: 'verdict'}, c ? c.verdict : ''));
      })));
  }
  nodes.push(el('p', {class: 'help'}, report.method || ''));
  return nodes;
}

/**
 * One row per estimate: its interval as a line, its value as a dot, the numbers beside it.
 * withZero draws the zero line (for a lift or a difference). Undefined values draw "not yet".
 */
export function intervalChart(rows, format, label, withZero = false) {
  const W = 430, LEFT = 74, RIGHT = 170, ROW = 24, H = rows.length * ROW + 8;
  const known = rows.flatMap(r => [r.low, r.high, r.value]).filter(x => x !== null && x !== undefined);
  if (withZero) known.push(0);
  let lo = Math.min(...known), hi = Math.max(...known);
  if (!known.length) { lo = 0; hi = 1; }
  if (hi - lo < 1e-12) { lo -= 0.5 * Math.abs(lo || 1); hi += 0.5 * Math.abs(hi || 1); }
  const pad = (hi - lo) * 0.05;
  lo -= pad; hi += pad;
  const x = v => LEFT + (W - LEFT - RIGHT) * (v - lo) / (hi - lo);
  const s = (tag, attrs, ...kids) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    kids.forEach(k => n.append(k));
    return n;
  };
  const words = rows.map(r => r.name + ' ' + describe(r, format)).join('; ');
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label + ': ' + words,
    class: 'interval-chart'}, s('title', {}, label + ': ' + words));
  if (withZero) svg.append(s('line', {x1: x(0), x2: x(0), y1: 0, y2: H, class: 'zero'}));
  rows.forEach((r, i) => {
    const y = 4 + i * ROW + ROW / 2;
    svg.append(s('text', {x: 0, y: y + 4, class: 'label'}, r.name));
    if (r.low !== null && r.low !== undefined && r.high !== null && r.high !== undefined) {
      svg.append(s('line', {x1: x(r.low), x2: x(r.high), y1: y, y2: y, class: 'interval'}),
        s('line', {x1: x(r.low), x2: x(r.low), y1: y - 5, y2: y + 5, class: 'interval'}),
        s('line', {x1: x(r.high), x2: x(r.high), y1: y - 5, y2: y + 5, class: 'interval'}));
    }
    if (r.value !== null && r.value !== undefined) svg.append(s('circle', {cx: x(r.value), cy: y, r: 4, class: 'point'}));
    svg.append(s('text', {x: W - RIGHT + 6, y: y + 4, class: 'value'}, describe(r, format)));
  });
  return svg;
}

function describe(r, format) {
  if (r.value === null || r.value === undefined) return 'not yet';
  const bounds = r.low !== null && r.low !== undefined && r.high !== null && r.high !== undefined
    ? ' (' + format(r.low) + '–' + format(r.high) + ')' : '';
  return format(r.value) + bounds;
}
