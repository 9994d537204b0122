// One delivery: what arrived, byte for byte, with its attempts and outcome, and what it caused.
import { AGGREGATES, api, card, download, entityLink, fields, h, receiptLink, replace, section, session, table, time,
  value } from './core.js';

/**
 * Indents a JSON text without parsing it into numbers or objects: every string and number literal
 * stays as it was received, and a key given twice shows twice.
 */
export function reindent(text) {
  let out = '';
  let depth = 0;
  const pad = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) {
        j++;
      }
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c + text[j];
        i = j + 1;
      } else {
        depth++;
        out += c + pad();
        i++;
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += pad() + c;
      i++;
    } else if (c === ',') {
      out += ',' + pad();
      i++;
    } else if (c === ':') {
      out += ': ';
      i++;
    } else {
      if (!/\s/.test(c)) {
        out += c;
      }
      i++;
    }
  }
  return out;
}

/**
 * The body indented for reading, or null when it is no JSON at all. The provider's bodies are read
 * leniently (a trailing comma, say), so a body JSON.parse refuses is still indented, and says so.
 */
export function prettyBody(text) {
  if (text === null || !/^\s*[[{]/.test(text)) {
    return null;
  }
  try {
    JSON.parse(text);
    return { text: reindent(text), strict: true };
  } catch (e) {
    return { text: reindent(text), strict: false, why: e.message };
  }
}

function base64Bytes(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The body as received: pretty-printed (when it is JSON) and raw, switchable, and downloadable. */
function bodyView(receipt) {
  const text = receipt.body;
  const indented = prettyBody(text);
  const pretty = h('div', { id: 'body-pretty-view' },
    indented && !indented.strict ? h('p', { class: 'muted', id: 'not-strict' }, 'Not strict JSON (', indented.why,
      '): the ledger reads it leniently; indented here as received.') : null,
    h('pre', { id: 'body-pretty', class: 'body', tabindex: '0', 'aria-label': 'Body, pretty-printed' },
      indented ? indented.text : 'Not JSON: see the raw bytes.'));
  const raw = h('pre', { id: 'body-raw', class: 'body', tabindex: '0', hidden: true, 'aria-label': 'Body, raw' },
    text !== null ? text : 'Not UTF-8 text; base64: ' + receipt.body_base64);
  const prettyButton = h('button', { type: 'button', id: 'show-pretty', 'aria-pressed': 'true' }, 'Pretty');
  const rawButton = h('button', { type: 'button', id: 'show-raw', 'aria-pressed': 'false' }, 'Raw');
  const choose = (showRaw) => {
    raw.hidden = !showRaw;
    pretty.hidden = showRaw;
    rawButton.setAttribute('aria-pressed', String(showRaw));
    prettyButton.setAttribute('aria-pressed', String(!showRaw));
  };
  prettyButton.addEventListener('click', () => choose(false));
  rawButton.addEventListener('click', () => choose(true));
  const save = h('button', { type: 'button', id: 'download-body' }, 'Download the bytes');
  save.addEventListener('click', () => download('receipt-' + receipt.receipt + '.json',
    base64Bytes(receipt.body_base64), receipt.content_type || 'application/octet-stream'));
  return h('div', { class: 'body-view' },
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Body view' }, prettyButton, rawButton, save,
      h('span', { class: 'muted' }, String(receipt.body_bytes), ' bytes, ', receipt.content_type || 'no content type')),
    pretty, raw);
}

/** A delivery's panel: outcome, attempts, times, body, re-drives and the events it caused. */
export async function receiptPanel(id) {
  const receipt = await api('/api/v1/receipts/' + encodeURIComponent(id));
  const summary = h('dl', { class: 'fields', id: 'receipt-summary' },
    h('dt', {}, 'receipt'), h('dd', {}, receiptLink(String(receipt.receipt))),
    h('dt', {}, 'outcome'), h('dd', { 'data-field': 'outcome' }, h('span', { class: 'badge ' + receipt.outcome },
      receipt.outcome)),
    h('dt', {}, 'reason'), h('dd', { 'data-field': 'reason' }, value('reason', receipt.reason)),
    h('dt', {}, 'attempts'), h('dd', { 'data-field': 'attempts' }, String(receipt.attempts)),
    h('dt', {}, 'received'), h('dd', {}, time(receipt.received_at)),
    h('dt', {}, 'last attempt'), h('dd', {}, time(receipt.last_attempt_at)),
    h('dt', {}, 'webhook type'), h('dd', {}, value('webhook_type', receipt.webhook_type)),
    h('dt', {}, 'position'), h('dd', {}, value('position', receipt.position)));
  const events = receipt.events.length === 0 ? h('p', { class: 'muted' }, 'No event.')
    : table(['position', 'entity', 'event', 'recorded', 'effective'], receipt.events.map((e) => {
      const entity = AGGREGATES[e.aggregate_type];
      return h('tr', {}, h('td', {}, String(e.position)),
        h('td', {}, entity ? entityLink(entity, e.aggregate_key) : e.aggregate_type + ' ' + e.aggregate_key),
        h('td', {}, e.type), h('td', {}, time(e.recorded_at)), h('td', {}, time(e.effective_at)));
    }));
  const redrives = receipt.redrives.length === 0 ? null
    : h('div', {}, h('h3', {}, 'Re-drives'), table(Object.keys(receipt.redrives[0]),
      receipt.redrives.map((r) => h('tr', {}, Object.entries(r).map(([k, v]) => h('td', {}, value(k, v)))))));
  return h('div', { class: 'receipt', 'data-receipt': String(receipt.receipt) }, summary,
    h('h3', {}, 'Body as received'), bodyView(receipt), redrives, h('h3', {}, 'Events it caused'), events);
}

export async function receiptPage(box, id) {
  document.title = 'Delivery ' + id + ' · QI Ledger';
  const panel = h('div', { id: 'receipt' });
  const signature = h('div', { id: 'signature' });
  replace(box, h('h1', {}, 'Delivery ', h('span', { class: 'key' }, id)), card('The delivery', panel),
    card('Provider signature', signature));
  await Promise.all([
    section(panel, () => receiptPanel(id)),
    section(signature, async () => fields(await api('/api/v1/receipts/' + encodeURIComponent(id) + '/signature'))),
  ]);
  if (!session.has('auditor') && !session.has('operator')) {
    signature.closest('section').hidden = true;
  }
}
