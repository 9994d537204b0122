// Find: one box for a key of any entity, a receipt id, a bar code or a digitable line.
import { ENTITIES, api, card, entityHref, h, replace } from './core.js';

function hrefOf(match) {
  return match.entity === 'receipts' ? '/console/receipts/' + encodeURIComponent(match.key)
    : entityHref(match.entity, match.key);
}

export async function findPage(box, params) {
  document.title = 'Find · QI Ledger';
  const q = (params.get('q') || '').trim();
  const input = h('input', { type: 'search', id: 'q', name: 'q', value: q, required: true, autocomplete: 'off',
    placeholder: 'key, receipt id, bar code or digitable line', 'aria-label': 'Key, receipt id, bar code or digitable line' });
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  replace(box,
    h('h1', {}, 'Find'),
    h('form', { class: 'search', method: 'get', action: '/console', role: 'search' }, input,
      h('button', { type: 'submit', id: 'find' }, 'Find')),
    results);
  if (!q) {
    input.focus();
    return;
  }
  const answer = await api('/api/v1/lookup?q=' + encodeURIComponent(q));
  if (answer.matches.length === 1) {
    location.replace(hrefOf(answer.matches[0]));
    return;
  }
  replace(results, answer.matches.length === 0
    ? h('p', { id: 'no-match' }, 'Nothing in the ledger matches “', q, '”.')
    : card(answer.matches.length + ' matches', h('ul', { class: 'matches' }, answer.matches.map((match) =>
      h('li', {}, h('a', { href: hrefOf(match) }, (ENTITIES[match.entity] || 'Delivery') + ' ' + match.key),
        ' ', h('span', { class: 'muted' }, 'by ' + match.matched_by.replace('_', ' ')))))));
}
