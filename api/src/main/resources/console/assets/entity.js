// One entity for an auditor: its state (now, or as the ledger knew it at an instant), the timeline of
// its events with the delivery behind each, one event's data and raw body, and its tamper evidence.
import { ENTITIES, api, card, fields, h, pretty, receiptLink, replace, section, session, table, time,
  value } from './core.js';
import { receiptPanel } from './receipt.js';
import { proofPanel } from './proof.js';

/** An instant as a datetime-local value in the viewer's zone, to the second. */
function localInput(instant) {
  const d = new Date(instant);
  const two = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' + two(d.getHours()) + ':'
    + two(d.getMinutes()) + ':' + two(d.getSeconds());
}

function asOfForm(asOf) {
  const input = h('input', { type: 'datetime-local', step: '1', id: 'as-of', name: 'as-of',
    value: asOf ? localInput(asOf) : null });
  const form = h('form', { class: 'as-of', 'aria-label': 'State as of' },
    h('label', { for: 'as-of' }, 'State as of (your time)'), input,
    h('button', { type: 'submit', id: 'show-as-of' }, 'Show'),
    asOf ? h('a', { href: location.pathname, id: 'now' }, 'Back to now') : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value) {
      return;
    }
    const params = new URLSearchParams(location.search);
    params.set('asOf', new Date(input.value).toISOString());
    location.assign(location.pathname + '?' + params.toString());
  });
  return form;
}

function eventDetail(event) {
  const receipt = h('div', { id: 'event-receipt' });
  const box = h('div', { class: 'event-detail', 'data-sequence': String(event.sequence) },
    h('h3', {}, '#' + event.sequence + ' ' + event.type),
    h('dl', { class: 'fields' },
      h('dt', {}, 'position'), h('dd', {}, String(event.position)),
      h('dt', {}, 'event id'), h('dd', { class: 'key' }, event.event_id),
      h('dt', {}, 'recorded'), h('dd', {}, time(event.recorded_at)),
      h('dt', {}, 'effective'), h('dd', {}, time(event.effective_at)),
      h('dt', {}, 'delivery'), h('dd', {}, receiptLink(event.receipt))),
    h('h3', {}, 'Event data'),
    h('pre', { id: 'event-data', class: 'body', tabindex: '0', 'aria-label': 'Event data as JSON' }, pretty(event.data)),
    h('h3', {}, 'The delivery behind it'), receipt);
  if (event.receipt) {
    section(receipt, () => receiptPanel(event.receipt));
  } else {
    replace(receipt, h('p', { class: 'muted' }, 'No delivery: the ledger recorded this event itself.'));
  }
  return box;
}

function timeline(history, detail) {
  const buttons = [];
  const rows = history.events.map((event, index) => {
    const button = h('button', { type: 'button', class: 'event', 'data-sequence': String(event.sequence),
      'aria-controls': 'event-detail', 'aria-expanded': 'false' }, '#' + event.sequence + ' ' + event.type);
    buttons.push(button);
    button.addEventListener('click', () => {
      buttons.forEach((b) => b.setAttribute('aria-expanded', String(b === button)));
      replace(detail, eventDetail(event));
      detail.hidden = false;
      detail.focus();
    });
    button.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (step && buttons[index + step]) {
        e.preventDefault();
        buttons[index + step].focus();
      }
    });
    return h('tr', {}, h('td', {}, button), h('td', {}, time(event.recorded_at)), h('td', {}, time(event.effective_at)),
      h('td', {}, receiptLink(event.receipt)));
  });
  return table(['event', 'recorded', 'effective (provider)', 'delivery'], rows, { id: 'timeline' });
}

async function partnerRequests(key) {
  const answer = await api('/api/v1/debts/' + encodeURIComponent(key) + '/requests');
  if (answer.requests.length === 0) {
    return h('p', { class: 'muted' }, 'No partner call on this debt.');
  }
  return table(['request', 'kind', 'state', 'asked by', 'asked at', 'attempts', 'answer', 'confirmed by'],
    answer.requests.map((r) => h('tr', {}, h('td', { class: 'key' }, r.request_id), h('td', {}, r.kind),
      h('td', {}, h('span', { class: 'badge ' + r.state }, r.state)), h('td', {}, value('requested_by', r.requested_by)),
      h('td', {}, time(r.requested_at)), h('td', {}, String(r.attempts)),
      h('td', {}, r.answer_status === null ? value('answer_error', r.answer_error) : String(r.answer_status)),
      h('td', {}, receiptLink(r.confirming_receipt)))), { id: 'partner-requests' });
}

export async function entityPage(box, entity, key, params) {
  const asOf = params.get('asOf');
  document.title = ENTITIES[entity] + ' ' + key + ' · QI Ledger';
  const state = h('div', { id: 'state' });
  const proof = h('div', { id: 'proof' });
  const history = h('div', { id: 'history' });
  const detail = h('div', { id: 'event-detail', tabindex: '-1', hidden: true, 'aria-live': 'polite' });
  const requests = h('div', { id: 'requests' });
  const auditor = session.has('auditor') || session.has('operator');
  replace(box,
    h('h1', {}, ENTITIES[entity] + ' ', h('span', { class: 'key', id: 'entity-key' }, key)),
    auditor ? asOfForm(asOf) : null,
    h('div', { class: 'grid' },
      card(asOf ? h('span', { id: 'state-title' }, 'State as the ledger knew it at ', time(asOf))
        : h('span', { id: 'state-title' }, 'Current state'), state),
      auditor ? card('Tamper evidence', proof) : null),
    auditor ? card('Timeline', history, detail) : h('p', { class: 'muted' }, 'The timeline and the raw deliveries '
      + 'are for auditors and operators.'),
    entity === 'debts' && session.has('operator') ? card('Partner requests', requests) : null);
  const loads = [section(state, async () => fields(await api('/api/v1/' + encodeURIComponent(entity) + '/'
    + encodeURIComponent(key) + (asOf ? '?asOf=' + encodeURIComponent(asOf) : ''))))];
  if (auditor) {
    loads.push(section(proof, () => proofPanel(entity, key)));
    loads.push(section(history, async () => timeline(await api('/api/v1/' + encodeURIComponent(entity) + '/'
      + encodeURIComponent(key) + '/history'), detail)));
  }
  if (entity === 'debts' && session.has('operator')) {
    loads.push(section(requests, () => partnerRequests(key)));
  }
  await Promise.all(loads);
}
