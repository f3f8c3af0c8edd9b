// Models section: what the registry page and a version's page share (polling, progress, actions).
import {el, confirmDialog, notify, problemText} from './app.js';

export const POLL_MS = 2000;

export const enc = encodeURIComponent;

/**
 * Calls tick() every POLL_MS while running() says something runs and the tab is visible; a hidden
 * tab stops asking (the visibility change asks once at once when it shows again); leaving the
 * page stops it for good. Returns {kick}: call it after an action that may start something.
 */
export function poller(ctx, tick, running) {
  let timer = null;
  const setState = on => { document.body.dataset.polling = on ? 'on' : 'off'; };
  const schedule = () => {
    clearTimeout(timer);
    const on = !ctx.signal.aborted && !document.hidden && running();
    setState(on);
    if (!on) return;
    timer = setTimeout(async () => {
      try {
        await tick();
      } catch (e) {
        if (e.name === 'AbortError' || ctx.signal.aborted) return;
        notify('Could not refresh: ' + problemText(e), 'error');
      }
      schedule();
    }, POLL_MS);
  };
  const onVisibility = () => {
    clearTimeout(timer);
    if (document.hidden) { setState(false); return; }
    tick().then(schedule, schedule);
  };
  document.addEventListener('visibilitychange', onVisibility);
  ctx.onLeave(() => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    setState(false);
  });
  return {kick: schedule};
}

/** "about 1 min 30 s left", from seconds. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds < 60) return seconds + ' s';
  const m = Math.floor(seconds / 60);
  if (m < 60) return m + ' min ' + (seconds % 60) + ' s';
  return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

const number = n => (n === null || n === undefined ? '?' : Number(n).toLocaleString());

/** What a version's progress says in words. */
export function progressText(v) {
  const p = v.progress || {};
  if (v.state === 'indexing') {
    if (p.total !== null && p.total !== undefined && p.indexed >= p.total) return 'verifying the last changes…';
    const parts = [(p.percent ?? 0) + ' %', number(p.indexed) + ' of ' + number(p.total) + ' products'];
    if (p.perSecond) parts.push(p.perSecond + '/s');
    parts.push(p.etaSeconds !== null && p.etaSeconds !== undefined ? 'about ' + duration(p.etaSeconds) + ' left' : 'estimating…');
    return parts.join(' · ');
  }
  if (v.kind === 'builtin' && !p.indexed) return ''; // the configured model's index predates the registry's counting
  if (v.state === 'ready' || v.state === 'active') return number(p.indexed) + ' products';
  if (v.state === 'failed') return 'stopped at ' + number(p.indexed) + (p.total ? ' of ' + number(p.total) : '');
  return '';
}

/** A progress bar with its words, for a version: updated in place by update(v). */
export function progressBar(v) {
  const bar = el('progress', {max: 100, 'aria-label': 'Index build of ' + v.version});
  const text = el('span', {class: 'progress-text'});
  const node = el('div', {class: 'progress', dataset: {version: v.version}}, bar, text);
  const update = next => {
    const building = next.state === 'indexing' || (next.progress && next.progress.total && next.state !== 'ready' && next.state !== 'active');
    bar.hidden = !building;
    if (next.progress && next.progress.percent !== null && next.progress.percent !== undefined) bar.value = next.progress.percent;
    else bar.removeAttribute('value');
    text.textContent = progressText(next);
    node.dataset.state = next.state;
    node.dataset.percent = next.progress && next.progress.percent !== null ? next.progress.percent : '';
  };
  update(v);
  return {node, update};
}

/** A fine-tune job's bar and words. */
export function fineTuneProgress(job) {
  const bar = el('progress', {max: 100, 'aria-label': 'Fine-tune ' + job.version});
  if (job.percent !== null && job.percent !== undefined) bar.value = job.percent;
  const words = job.state === 'training'
    ? [job.batches ? 'epoch ' + job.epoch + ' of ' + job.epochs + ', batch ' + job.batch + ' of ' + job.batches : 'reading the shoppers…',
      job.loss !== null && job.loss !== undefined ? 'loss ' + job.loss.toFixed(3) : null,
      job.etaSeconds !== null && job.etaSeconds !== undefined ? 'about ' + duration(job.etaSeconds) + ' left' : null]
    : [job.state, job.error];
  return el('div', {class: 'progress', dataset: {version: job.version, state: job.state}},
    job.state === 'training' ? bar : null, el('span', {class: 'progress-text'}, words.filter(Boolean).join(' · ')));
}

export function stateBadge(state) {
  return el('span', {class: 'badge state-' + state}, state);
}

/**
 * Promotes after a confirmation; when the gate refuses (no verdict yet, or the version scores worse), says why and
 * offers to promote anyway after a second confirmation. Resolves true when it was promoted.
 */
export async function promote(ctx, version, active) {
  const yes = await confirmDialog('Promote ' + version + '? Every list is ranked by it within about a second'
    + (active ? '; ' + active + ' stays ready for a rollback.' : '.'), {confirm: 'Promote', danger: false});
  if (!yes) return false;
  try {
    await ctx.api('POST', '/v1/models/' + enc(version) + '/promote');
  } catch (problem) {
    if (problem.status === 409 && /force=true/.test(problem.detail)) {
      const force = await confirmDialog(problem.detail
        .replace(/(\.? Promote|,? or promote) with force=true to override\.$/, '')
        + '. Promote it anyway?', {confirm: 'Promote anyway'});
      if (!force) return false;
      try {
        await ctx.api('POST', '/v1/models/' + enc(version) + '/promote?force=true');
      } catch (again) {
        notify(problemText(again), 'error');
        return false;
      }
    } else {
      notify(problemText(problem), 'error');
      return false;
    }
  }
  notify(version + ' is promoted: it ranks every list now.');
  return true;
}

export async function rollback(ctx) {
  if (!await confirmDialog('Roll back to the version that served before the active one? Lists switch within about a second.',
    {confirm: 'Roll back'})) return false;
  try {
    const activation = await ctx.api('POST', '/v1/models/rollback');
    notify('Rolled back: ' + activation.version + ' serves again.');
    return true;
  } catch (problem) {
    notify(problemText(problem), 'error');
    return false;
  }
}

export async function retire(ctx, version) {
  if (!await confirmDialog('Retire ' + version + '? It is no longer maintained and its collection is dropped; '
    + 'to use it again you register and index it anew.', {confirm: 'Retire'})) return false;
  try {
    await ctx.api('POST', '/v1/models/' + enc(version) + '/retire');
    notify(version + ' is retired.');
    return true;
  } catch (problem) {
    notify(problemText(problem), 'error');
    return false;
  }
}

export async function startIndex(ctx, version) {
  try {
    await ctx.api('POST', '/v1/models/' + enc(version) + '/index');
    notify('The index build of ' + version + ' started.');
    return true;
  } catch (problem) {
    notify(problemText(problem), 'error');
    return false;
  }
}

/** The buttons a version's state allows. after(): what to do once an action changed something. */
export function versionActions(ctx, v, active, after) {
  const act = (label, run, cls) => el('button', {type: 'button', class: cls, 'aria-label': label + ' ' + v.version,
    dataset: {action: label.toLowerCase().replace(/ /g, '-'), version: v.version},
    onclick: async () => { if (await run()) after(); }}, label);
  const buttons = [];
  if (v.state === 'registered' || v.state === 'failed') buttons.push(act('Build index', () => startIndex(ctx, v.version), 'primary'));
  if (v.state === 'ready') buttons.push(act('Promote', () => promote(ctx, v.version, active), 'primary'));
  if (v.state === 'ready' || v.state === 'failed' || v.state === 'registered') buttons.push(act('Retire', () => retire(ctx, v.version)));
  return el('div', {class: 'row-actions'}, buttons);
}
