// Dead letters (operator): the latest records each consumer refused, with their reason and
// origin, filtered by topic; re-publish one or several to their source topic after a fix
// (POST /v1/operations/dead-letters:republish: once per dead letter, recorded with who did it).
import {el, table, confirmDialog, notify, problemText} from './app.js';
import {subnav} from './operations.js';

const LIMITS = [20, 50, 100, 200, 500];
const PAYLOAD_PREVIEW = 160;

export async function renderDeadLetters(main, ctx) {
  const query = ctx.route.query;
  const topic = el('select', {id: 'dl-topic', name: 'topic'}, el('option', {value: ''}, 'all dead-letter topics'),
    query.get('topic') ? el('option', {value: query.get('topic'), selected: true}, query.get('topic')) : null);
  const limit = el('select', {id: 'dl-limit', name: 'limit'},
    LIMITS.map(n => el('option', {value: n, selected: String(n) === (query.get('limit') || '50')}, String(n))));
  const refresh = el('button', {type: 'button'}, 'Refresh');
  const selected = new Map();
  const republishSelected = el('button', {type: 'button', class: 'primary', disabled: true}, 'Re-publish selected');
  const counts = el('p', {class: 'muted', id: 'dl-counts', 'aria-live': 'polite'});
  const error = el('p', {class: 'form-error', role: 'alert', hidden: true});
  const holder = el('div', {id: 'dead-letters'});
  main.append(
    el('h1', {}, 'Dead letters'),
    subnav('#/operations/dead-letters'),
    el('p', {class: 'help'}, 'Records a consumer refused, with the reason. After fixing the cause (a bug, a missing '
      + 'product), send them back to the topic they came from: each goes as it was (an event keeps its eventId, so it '
      + 'counts once) and only once, however often it is asked for. An erased shopper\'s are withheld and never sent.'),
    el('form', {class: 'toolbar', 'aria-label': 'Filter dead letters', onsubmit: e => e.preventDefault()},
      el('div', {class: 'field'}, el('label', {for: 'dl-topic'}, 'Topic'), topic),
      el('div', {class: 'field'}, el('label', {for: 'dl-limit'}, 'Latest per topic'), limit),
      refresh, republishSelected),
    error, counts, holder);

  let letters = [];
  const placeOf = d => d.topic + '/' + d.partition + '@' + d.offset;

  const load = async () => {
    const params = new URLSearchParams({limit: limit.value});
    if (topic.value) params.set('topic', topic.value);
    try {
      const page = await ctx.api('GET', '/v1/operations/dead-letters?' + params);
      const known = [...topic.options].map(o => o.value);
      page.topics.filter(t => !known.includes(t)).forEach(t => topic.append(el('option', {value: t}, t)));
      letters = page.deadLetters;
      error.hidden = true;
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      letters = [];
      error.textContent = 'The dead letters could not be loaded: ' + problemText(problem);
      error.hidden = false;
    }
    selected.clear();
    draw();
    const hash = '#/operations/dead-letters' + (topic.value || limit.value !== '50'
      ? '?' + new URLSearchParams({...(topic.value ? {topic: topic.value} : {}), ...(limit.value !== '50' ? {limit: limit.value} : {})})
      : '');
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };

  const draw = () => {
    const sendable = letters.filter(d => !d.withheld && !d.republished);
    counts.textContent = `${letters.length} dead letters shown, ${letters.filter(d => d.republished).length} already re-published.`;
    republishSelected.disabled = selected.size === 0;
    republishSelected.textContent = 'Re-publish selected' + (selected.size ? ' (' + selected.size + ')' : '');
    holder.replaceChildren(table([
      {label: 'Select', value: d => d.withheld || d.republished ? '' : el('input', {type: 'checkbox',
        'aria-label': 'Select dead letter ' + placeOf(d), checked: selected.has(placeOf(d)),
        onchange: e => { if (e.target.checked) selected.set(placeOf(d), d); else selected.delete(placeOf(d)); draw(); }})},
      {label: 'When', value: d => el('time', {datetime: d.deadLetteredAt}, new Date(d.deadLetteredAt).toLocaleString())},
      {label: 'Dead letter', value: d => el('code', {}, placeOf(d))},
      {label: 'Reason', value: d => d.withheld ? el('em', {}, 'withheld: ' + d.withheld) : el('span', {class: 'reason'}, d.reason || '')},
      {label: 'From', value: d => d.source && d.source.topic
        ? el('code', {}, d.source.topic + '/' + d.source.partition + '@' + d.source.offset) : '–'},
      {label: 'Key', value: d => d.key || '–'},
      {label: 'Payload', value: d => payload(d)},
      {label: 'Re-published', value: d => d.republished
        ? (d.republished.offset === null ? 'sending… (' + d.republished.by + ')'
          : 'by ' + d.republished.by + ', ' + new Date(d.republished.at).toLocaleString())
        : el('button', {type: 'button', disabled: Boolean(d.withheld), 'aria-label': 'Re-publish dead letter ' + placeOf(d),
          onclick: () => republish([d])}, 'Re-publish')},
    ], letters, {caption: 'Latest dead letters, newest first', empty: 'No dead letters: every record was accepted.'}));
    holder.dataset.sendable = String(sendable.length);
  };

  const republish = async chosen => {
    const targets = [...new Set(chosen.map(d => d.source && d.source.topic))].join(', ');
    const ok = await confirmDialog(`Send ${chosen.length === 1 ? 'this dead letter' : chosen.length + ' dead letters'} back to `
      + `${targets}? ${chosen.length === 1 ? 'It goes' : 'They go'} as recorded; if the cause is not fixed, `
      + `${chosen.length === 1 ? 'it comes' : 'they come'} back here with the same reason.`,
    {confirm: 'Re-publish', danger: false});
    if (!ok) return;
    try {
      const answer = await ctx.api('POST', '/v1/operations/dead-letters:republish',
        {body: {deadLetters: chosen.map(d => ({topic: d.topic, partition: d.partition, offset: d.offset}))}});
      const already = answer.deadLetters.filter(o => o.status !== 'republished');
      notify(`Re-published ${answer.republished} dead letter${answer.republished === 1 ? '' : 's'}: the broker acknowledged.`
        + (already.length ? ` ${already.length} had been re-published before (by ${already[0].republished.by}); not sent again.` : ''));
    } catch (problem) {
      if (problem.name === 'AbortError') return;
      notify('Not re-published: ' + problemText(problem), 'error');
    }
    await load();
  };

  topic.addEventListener('change', load);
  limit.addEventListener('change', load);
  refresh.addEventListener('click', load);
  republishSelected.addEventListener('click', () => republish([...selected.values()]));
  await load();
}

function payload(d) {
  if (d.payload === null || d.payload === undefined) return '–';
  if (d.payload.length <= PAYLOAD_PREVIEW) return el('code', {class: 'payload'}, d.payload);
  return el('details', {},
    el('summary', {}, el('code', {class: 'payload'}, d.payload.slice(0, PAYLOAD_PREVIEW) + '…')),
    el('pre', {class: 'payload'}, d.payload));
}
