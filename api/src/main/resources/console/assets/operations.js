// Operations for operators: the quarantine (oldest first, reason, raw body, re-drive), dead letters and
// their retry, the read models with live position, lag and rebuild progress, and the completeness sweeps.
import { AGGREGATES, api, card, entityHref, fields, h, problemBox, receiptLink, replace, section, table, time,
  value } from './core.js';
import { prettyBody } from './receipt.js';

const POLL_MS = 1000;

function outcomeOf(answer) {
  return h('span', { class: 'redrive-outcome' }, h('span', { class: 'badge ' + answer.outcome }, answer.outcome),
    answer.position !== null && answer.position !== undefined ? ' at position ' + answer.position : '',
    answer.reason ? ': ' + answer.reason : '');
}

function quarantineRow(item) {
  const id = String(item.receipt);
  const result = h('td', { class: 'result', 'aria-live': 'polite' });
  const bodyRow = h('tr', { class: 'body-row', hidden: true }, h('td', { colspan: '7' }));
  const show = h('button', { type: 'button', class: 'show-body', 'aria-expanded': 'false' }, 'Body');
  show.addEventListener('click', async () => {
    const open = bodyRow.hidden;
    bodyRow.hidden = !open;
    show.setAttribute('aria-expanded', String(open));
    if (open && !bodyRow.dataset.loaded) {
      bodyRow.dataset.loaded = 'true';
      await section(bodyRow.firstChild, async () => {
        const receipt = await api('/api/v1/receipts/' + encodeURIComponent(id));
        const pretty = prettyBody(receipt.body);
        return h('div', { class: 'split' },
          h('pre', { class: 'body', tabindex: '0', 'aria-label': 'Body, pretty-printed' },
            pretty ? pretty.text : 'Not JSON.'),
          h('pre', { class: 'body raw-body', tabindex: '0', 'aria-label': 'Body, raw' },
            receipt.body ?? 'base64: ' + receipt.body_base64));
      });
    }
  });
  const redrive = h('button', { type: 'button', class: 'redrive' }, 'Re-drive');
  redrive.addEventListener('click', async () => {
    redrive.disabled = true;
    replace(result, 'Re-driving…');
    try {
      replace(result, outcomeOf(await api('/api/v1/receipts/' + encodeURIComponent(id) + '/redrive',
        { method: 'POST' })));
    } catch (e) {
      replace(result, problemBox(e));
      redrive.disabled = false;
    }
  });
  return [h('tr', { 'data-receipt': id }, h('td', {}, time(item.received_at)), h('td', {}, receiptLink(id)),
    h('td', {}, value('webhook_type', item.webhook_type)), h('td', { class: 'reason' }, value('reason', item.reason)),
    h('td', {}, String(item.attempts)), h('td', { class: 'actions' }, show, ' ', redrive), result), bodyRow];
}

async function quarantine() {
  const rows = h('tbody', {});
  const more = h('button', { type: 'button', id: 'more-quarantine', hidden: true }, 'Older first: show more');
  let after = null;
  const load = async () => {
    const page = await api('/api/v1/receipts?outcome=quarantined&limit=50' + (after ? '&after=' + after : ''));
    page.items.forEach((item) => rows.append(...quarantineRow(item)));
    after = page.next_after;
    more.hidden = !after;
    return page.items.length;
  };
  more.addEventListener('click', load);
  const first = await load();
  if (first === 0) {
    return h('p', { class: 'muted', id: 'quarantine-empty' }, 'The quarantine is empty.');
  }
  return h('div', {}, h('div', { class: 'scroll' }, h('table', { id: 'quarantine' },
    h('thead', {}, h('tr', {}, ['received', 'delivery', 'webhook type', 'reason', 'attempts', '', 'outcome']
      .map((label) => h('th', { scope: 'col' }, label)))), rows)), more);
}

async function deadLetters() {
  const groups = await api('/api/v1/dead-letters');
  const parked = Object.entries(groups).filter(([, letters]) => letters.length > 0);
  if (parked.length === 0) {
    return h('p', { class: 'muted', id: 'dead-letters-empty' }, 'No dead letter: every projection handled every event.');
  }
  return h('div', {}, parked.map(([group, letters]) => {
    const result = h('span', { class: 'result', 'aria-live': 'polite' });
    const retry = h('button', { type: 'button', class: 'retry', 'data-group': group }, 'Retry ' + group);
    retry.addEventListener('click', async () => {
      try {
        const answer = await api('/api/v1/dead-letters/' + encodeURIComponent(group) + '/retry', { method: 'POST' });
        replace(result, answer.sequences_processed + ' handed back, ' + answer.remaining + ' remain.');
      } catch (e) {
        replace(result, problemBox(e));
      }
    });
    return h('div', { class: 'group' }, h('h3', {}, group, ' ', retry, ' ', result),
      table(['entity', 'key', 'event', 'position', 'error', 'parked'], letters.map((l) => h('tr', {},
        h('td', {}, l.entity), h('td', {}, l.entity && l.key ? h('a', { href: entityHref(AGGREGATES[l.entity] || l.entity, l.key) }, l.key) : l.key),
        h('td', {}, l.event_type), h('td', {}, value('position', l.position)),
        h('td', {}, String(l.cause_type), ': ', String(l.cause_message)), h('td', {}, time(l.enqueued_at))))));
  }));
}

/** Percent of a rebuild: 100 once done, else how far the replay is towards the head it started at. */
function percent(rebuild) {
  if (!rebuild || rebuild.state === 'never') {
    return null;
  }
  if (rebuild.state === 'done') {
    return 100;
  }
  const target = Number(String(rebuild.target_position));
  const replayed = Math.max(0, Number(String(rebuild.replayed_position)));
  return target <= 0 ? 0 : Math.min(99, Math.floor((replayed * 100) / target));
}

function progress(id, rebuild) {
  const p = percent(rebuild);
  if (p === null) {
    return h('span', { class: 'muted' }, 'never rebuilt');
  }
  return h('span', { class: 'progress' }, h('progress', { id, max: '100', value: String(p) }, p + ' %'),
    h('span', { 'data-percent': String(p) }, ' ' + p + ' % ' + rebuild.state));
}

function readModelsView(status) {
  const rebuild = status.rebuild;
  return h('div', {},
    h('p', { id: 'rebuild-summary' }, 'Event store head: position ' + status.head + '. Rebuild: ',
      h('span', { id: 'rebuild-state' }, rebuild.state), ' ',
      rebuild.state === 'never' ? '(not since this service started)' : progress('rebuild-progress', rebuild),
      rebuild.state === 'never' ? '' : h('span', {}, ' — ' + rebuild.events_replayed + ' events replayed',
        rebuild.finished_at ? h('span', {}, ', finished ', time(rebuild.finished_at)) : '',
        rebuild.error ? ': ' + rebuild.error : '')),
    table(['read model', 'position', 'lag', 'running', 'segments', 'dead letters', 'rebuild'],
      status.processors.map((p) => h('tr', { 'data-processor': p.name }, h('td', {}, p.name),
        h('td', { 'data-column': 'position' }, String(p.position)), h('td', { 'data-column': 'lag' }, String(p.lag)),
        h('td', {}, p.running ? 'yes' : 'no'), h('td', {}, String((p.segments || []).length)),
        h('td', {}, String(p.dead_letters ? p.dead_letters.count : 0)),
        h('td', {}, p.rebuild ? progress(null, p.rebuild) : h('span', { class: 'muted' }, '—'))))),
    h('p', { class: 'muted' }, 'Updated ', time(new Date().toISOString()), ', every second.'));
}

function readModels(box) {
  const live = h('div', { id: 'read-models', 'aria-live': 'off' });
  const message = h('p', { id: 'rebuild-message', 'aria-live': 'polite' });
  const yes = h('button', { type: 'button', id: 'confirm-rebuild' }, 'Rebuild now');
  const no = h('button', { type: 'button', id: 'cancel-rebuild' }, 'Cancel');
  const dialog = h('dialog', { id: 'rebuild-dialog', 'aria-labelledby': 'rebuild-dialog-title' },
    h('h2', { id: 'rebuild-dialog-title' }, 'Rebuild every read model?'),
    h('p', {}, 'Every read model is rebuilt from the event store. Reads keep answering meanwhile; the rebuild '
      + 'takes about as long as replaying every event.'), h('div', { class: 'toolbar' }, yes, no));
  const start = h('button', { type: 'button', id: 'rebuild' }, 'Rebuild the read models…');
  start.addEventListener('click', () => dialog.showModal());
  no.addEventListener('click', () => dialog.close());
  yes.addEventListener('click', async () => {
    dialog.close();
    try {
      const answer = await api('/api/v1/projections/rebuild', { method: 'POST' });
      replace(message, 'Rebuild started at ', time(answer.started_at), '.');
    } catch (e) {
      replace(message, problemBox(e));
    }
  });
  box.append(h('div', { class: 'toolbar' }, start, message), live, dialog);
  let failures = 0;
  const poll = async () => {
    if (!live.isConnected) {
      return;
    }
    try {
      replace(live, readModelsView(await api('/api/v1/projections')));
      failures = 0;
    } catch (e) {
      failures++;
      replace(live, problemBox(e));
      if (e.status === 401 || e.status === 403) {
        return;
      }
    }
    setTimeout(poll, Math.min(POLL_MS * (1 + failures), 10000));
  };
  return poll();
}

async function partnerRequests() {
  const answer = await api('/api/v1/partner-requests?limit=50');
  if (answer.requests.length === 0) {
    return h('p', { class: 'muted', id: 'partner-requests-empty' }, 'No partner call yet.');
  }
  return table(['asked at', 'debt', 'kind', 'state', 'attempts', 'last answer', 'confirmed by'],
    answer.requests.map((r) => h('tr', { 'data-request': r.request_id }, h('td', {}, time(r.requested_at)),
      h('td', {}, h('a', { href: entityHref('debts', r.debt_key), class: 'key' }, r.debt_key)), h('td', {}, r.kind),
      h('td', {}, h('span', { class: 'badge ' + r.state }, r.state)), h('td', {}, String(r.attempts)),
      h('td', {}, r.answer_status === null ? value('answer_error', r.answer_error) : String(r.answer_status)),
      h('td', {}, receiptLink(r.confirming_receipt)))), { id: 'partner-requests' });
}

async function sweeps() {
  let answer;
  try {
    answer = await api('/api/v1/completeness/sweeps');
  } catch (e) {
    if (e.status === 503) { // the sweep is off: no provider configured, which is a state, not a failure
      return h('p', { class: 'muted', id: 'sweeps-off' }, e.message);
    }
    throw e;
  }
  if (answer.sweeps.length === 0) {
    return h('p', { class: 'muted' }, 'No sweep yet.');
  }
  return h('div', {}, answer.sweeps.map((sweep) => fields(sweep)));
}

export async function operationsPage(box) {
  document.title = 'Operations · QI Ledger';
  const q = h('div', { id: 'quarantine-box' });
  const dead = h('div', { id: 'dead-letters' });
  const models = h('div', { id: 'read-models-box' });
  const sweep = h('div', { id: 'sweeps' });
  const partners = h('div', { id: 'partner-requests-box' });
  const debt = h('input', { type: 'text', id: 'debt-key', name: 'key', required: true, 'aria-label': 'Debt key' });
  const debtForm = h('form', { class: 'search', id: 'partner-form' }, debt, h('button', { type: 'submit' }, 'Open'));
  debtForm.addEventListener('submit', (event) => {
    event.preventDefault();
    location.assign(entityHref('debts', debt.value.trim()));
  });
  replace(box, h('h1', {}, 'Operations'),
    card('Quarantine, oldest first', q),
    card('Read models', models),
    card('Dead letters', dead),
    card('Partner requests, newest first', partners, h('p', { class: 'muted' }, 'A debt\'s calls, with every '
      + 'attempt, are on the debt\'s page:'), debtForm),
    card('Completeness sweeps', sweep));
  await Promise.all([section(q, quarantine), section(dead, deadLetters), readModels(models),
    section(partners, partnerRequests), section(sweep, sweeps)]);
}
