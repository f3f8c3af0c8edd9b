// Merchandising: the rules list (#/rules), a new rule (#/rules/new) and one rule (#/rules/{id}):
// its form beside the live preview, what it earned and its audit trail.

export async function render(main, ctx) {
  const [, id] = ctx.route.parts;
  if (!id) {
    const {renderList} = await import('./rules-list.js');
    return renderList(main, ctx);
  }
  const {renderEditor} = await import('./rules-edit.js');
  return renderEditor(main, ctx, id === 'new' ? null : id);
}

/** Where a rule stands now: disabled, expired, scheduled or active. */
export function stateOf(rule, now = Date.now()) {
  if (!rule.enabled) return 'disabled';
  if (rule.endsAt && Date.parse(rule.endsAt) <= now) return 'expired';
  if (rule.startsAt && Date.parse(rule.startsAt) > now) return 'scheduled';
  return 'active';
}

export const STATE_LABELS = {active: 'active now', scheduled: 'scheduled', expired: 'expired', disabled: 'disabled'};
export const ACTIONS = ['boost', 'bury', 'pin', 'block'];
export const MATCH_TYPES = ['product', 'brand', 'category', 'tag'];
export const SURFACES = ['feed', 'similar', 'search', 'assistant'];

/** "boost ×1.5", "pin at #3", "block". */
export function effectText(rule) {
  if (rule.action === 'pin') return 'pin at #' + rule.position;
  if (rule.action === 'boost' || rule.action === 'bury') return rule.action + ' ×' + rule.factor;
  return rule.action;
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'}) : '';
}

/** A rule's earnings row (GET /v1/analytics/rules?per=range) as short text. */
export function earnedText(row) {
  if (!row) return 'no attributed lists yet';
  const ctr = row.ctr ? (row.ctr.rate * 100).toFixed(2) + ' % CTR' : 'no impressions';
  const money = new Intl.NumberFormat(undefined, {maximumFractionDigits: 2}).format(row.revenue || 0);
  const n = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(row.served, 'list')}, ${n(row.clicks, 'click')} (${ctr}), ${n(row.purchases, 'purchase')}, ${money} revenue`;
}
