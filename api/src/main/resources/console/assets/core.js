// What every page of the console uses: the session, calls to /api/v1, exact numbers, amounts, times,
// and building the page. Every value from an answer reaches the page as a text node (h() and text()),
// never as markup.

const TOKEN = 'qi-ledger.token';
const ROLES = 'qi-ledger.roles';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  roles: () => JSON.parse(sessionStorage.getItem(ROLES) || '[]'),
  has: (role) => session.roles().includes(role),
  signedIn: () => sessionStorage.getItem(ROLES) !== null,
  keep(token, roles) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ROLES, JSON.stringify(roles));
  },
  end() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ROLES);
  },
};

/** A JSON number as the service wrote it: its decimal text, never a binary float. */
export class Num {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

const MARK = '\u0000num:' + Array.from(crypto.getRandomValues(new Uint32Array(2))).join('-');

/**
 * JSON.parse, but every number becomes a Num holding its exact text: each number literal is wrapped
 * as an object under a key no payload can know (random per page), then turned back by the reviver.
 */
export function parseExact(text) {
  const parts = [];
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: skip it whole, escapes included
      i++;
      while (i < n && text.charCodeAt(i) !== 34) {
        i += text.charCodeAt(i) === 92 ? 2 : 1;
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && '0123456789eE.+-'.includes(text[j])) {
        j++;
      }
      parts.push(text.slice(last, i), '{' + JSON.stringify(MARK) + ':"' + text.slice(i, j) + '"}');
      last = i = j;
    } else {
      i++;
    }
  }
  parts.push(text.slice(last));
  return JSON.parse(parts.join(''), (key, value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      && Object.keys(value).length === 1 && Object.prototype.hasOwnProperty.call(value, MARK)
      ? new Num(value[MARK]) : value);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function call(path, { method = 'GET', accept = 'application/json', body, token } = {}) {
  // a token given here is being tried (sign-in); otherwise the session's, whose refusal ends the session
  const trying = token !== undefined;
  token = trying ? token : session.token();
  const headers = { Accept: accept };
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store', credentials: 'omit', redirect: 'error',
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = parseExact(await response.text());
    } catch (e) {
      problem = null;
    }
    if (response.status === 401 && !trying) {
      window.dispatchEvent(new CustomEvent('qi-ledger:unauthorized', { detail: problem }));
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** A JSON answer of /api/v1, numbers exact. */
export async function api(path, options = {}) {
  const response = await call(path, options);
  const text = await response.text();
  return text === '' ? null : parseExact(text);
}

/** An answer's bytes as sent (for CSV downloads: the same bytes as the API's). */
export async function apiBytes(path, accept) {
  const response = await call(path, { accept });
  return new Uint8Array(await response.arrayBuffer());
}

export function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// ---- building the page ----

/**
 * An element: attributes from an object (no style or on* attribute, ever), children as nodes or text.
 * Strings become text nodes, so markup in a payload shows as the characters it is.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'style' || name.startsWith('on')) {
      throw new Error('no inline style or handler: ' + name);
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function problemBox(error) {
  const status = error instanceof ApiError ? error.status : null;
  const what = status === 403 ? 'Your role may not see this: '
    : status === 404 ? 'Not found: '
      : status ? 'The ledger answered ' + status + ': ' : 'Could not reach the ledger: ';
  return h('p', { class: 'problem', role: 'alert', 'data-status': status }, what, error.message);
}

/** Runs a section's loader into its box: a spinner text first, the problem if it fails. */
export async function section(box, loader) {
  replace(box, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const content = await loader();
    replace(box, content);
  } catch (error) {
    replace(box, problemBox(error));
  }
}

// ---- amounts, numbers, times ----

function decimalParts(value) {
  let text = String(value).trim();
  let negative = false;
  if (text.startsWith('-') || text.startsWith('+')) {
    negative = text.startsWith('-');
    text = text.slice(1);
  }
  let exponent = 0;
  const e = text.search(/[eE]/);
  if (e >= 0) {
    exponent = parseInt(text.slice(e + 1), 10);
    text = text.slice(0, e);
  }
  let [whole, fraction = ''] = text.split('.');
  if (exponent > 0) {
    fraction = fraction.padEnd(exponent, '0');
    whole += fraction.slice(0, exponent);
    fraction = fraction.slice(exponent);
  } else if (exponent < 0) {
    whole = whole.padStart(-exponent + 1, '0');
    fraction = whole.slice(whole.length + exponent) + fraction;
    whole = whole.slice(0, whole.length + exponent);
  }
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) {
    return null;
  }
  return { negative, whole, fraction };
}

/**
 * An amount as a Brazilian reads it, R$ 1.234,56, from its decimal text: never through a float, so
 * no digit is lost; more than two decimals are all shown.
 */
export function brl(value) {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const parts = decimalParts(value);
  if (parts === null) {
    return String(value);
  }
  let fraction = parts.fraction.replace(/0+$/, '');
  fraction = fraction.padEnd(2, '0');
  const zero = /^0*$/.test(parts.whole + fraction);
  const whole = parts.whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (parts.negative && !zero ? '-' : '') + 'R$ ' + whole + ',' + fraction;
}

/** An amount cell: the formatted amount, the exact decimal as the API sent it on hover. */
export function amount(value) {
  return h('span', { class: 'amount', title: value === null || value === undefined ? null : String(value) },
    brl(value));
}

function scaled(parts, scale) {
  const n = BigInt(parts.whole + parts.fraction.padEnd(scale, '0'));
  return parts.negative ? -n : n;
}

/** Exact decimal arithmetic for totals: BigInt at the widest scale. */
export function sumDecimals(values) {
  const parsed = values.filter((v) => v !== null && v !== undefined).map(decimalParts).filter((p) => p);
  const scale = Math.max(0, ...parsed.map((p) => p.fraction.length));
  const total = parsed.reduce((sum, p) => sum + scaled(p, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  return (negative ? '-' : '') + digits.slice(0, digits.length - scale) + (scale ? '.' + digits.slice(-scale) : '');
}

/** Compares two decimal texts exactly (for sorting); a missing value sorts first. */
export function compareDecimals(a, b) {
  const pa = a === null || a === undefined ? null : decimalParts(a);
  const pb = b === null || b === undefined ? null : decimalParts(b);
  if (pa === null || pb === null) {
    return pa === pb ? 0 : pa === null ? -1 : 1;
  }
  const scale = Math.max(pa.fraction.length, pb.fraction.length);
  const x = scaled(pa, scale);
  const y = scaled(pb, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  timeZoneName: 'short',
});

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value) {
  return typeof value === 'string' && INSTANT.test(value);
}

/** An instant in the viewer's zone; the UTC value as the API gave it on hover. */
export function time(value) {
  if (!value) {
    return h('span', { class: 'muted' }, '—');
  }
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    return h('span', {}, String(value));
  }
  return h('time', { datetime: String(value), title: 'UTC ' + date.toISOString() + ' (as recorded: ' + value + ')' },
    LOCAL.format(date));
}

const AMOUNT_FIELD = /(amount|_fine|_interest|^paid_fine|^paid_interest|^debits|^credits|^balance)$/;

/** How one field's value shows: amounts in reais, instants in local time, the rest as text. */
export function value(key, v) {
  if (v === null || v === undefined) {
    return h('span', { class: 'muted' }, '—');
  }
  if (v instanceof Num) {
    return AMOUNT_FIELD.test(key || '') ? amount(v.text) : h('span', { class: 'number' }, v.text);
  }
  if (isInstant(v)) {
    return time(v);
  }
  if (typeof v === 'boolean') {
    return h('span', {}, v ? 'yes' : 'no');
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      return h('span', { class: 'muted' }, 'none');
    }
    if (v.every((item) => item === null || typeof item !== 'object' || item instanceof Num)) {
      return h('span', {}, v.map((item) => String(item)).join(', '));
    }
    return h('ol', { class: 'nested' }, v.map((item) => h('li', {}, value(key, item))));
  }
  if (typeof v === 'object') {
    return fields(v);
  }
  return h('span', { class: 'text' }, String(v));
}

/** An object as a definition list, each field shown by value(). */
export function fields(object) {
  return h('dl', { class: 'fields' }, Object.entries(object).map(([k, v]) => [
    h('dt', {}, k.replace(/_/g, ' ')),
    h('dd', { 'data-field': k }, value(k, v)),
  ]));
}

/** A value parsed by parseExact, written back as indented JSON with the numbers as they came. */
export function pretty(v, indent = '') {
  const next = indent + '  ';
  if (v instanceof Num) {
    return v.text;
  }
  if (Array.isArray(v)) {
    return v.length === 0 ? '[]' : '[\n' + v.map((item) => next + pretty(item, next)).join(',\n') + '\n' + indent + ']';
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length === 0 ? '{}' : '{\n' + entries.map(([k, item]) => next + JSON.stringify(k) + ': '
      + pretty(item, next)).join(',\n') + '\n' + indent + '}';
  }
  return JSON.stringify(v);
}

export const ENTITIES = {
  'bank-slips': 'Bank slip',
  'dda-bank-slips': 'DDA bank slip',
  installments: 'Installment',
  'conciliation-batches': 'Conciliation batch',
  debts: 'Debt',
};

/** The read API's path of each aggregate type, as the history and receipts name them. */
export const AGGREGATES = {
  BankSlip: 'bank-slips',
  DdaBankSlip: 'dda-bank-slips',
  Installment: 'installments',
  ConciliationBatch: 'conciliation-batches',
  Debt: 'debts',
};

export function entityHref(entity, key) {
  return '/console/' + encodeURIComponent(entity) + '/' + encodeURIComponent(key);
}

export function entityLink(entity, key) {
  return h('a', { href: entityHref(entity, key), class: 'key' }, key);
}

export function receiptLink(receipt) {
  return receipt ? h('a', { href: '/console/receipts/' + encodeURIComponent(receipt), class: 'key' }, receipt)
    : h('span', { class: 'muted' }, '—');
}

export function table(headers, rows, attributes = {}) {
  return h('div', { class: 'scroll' }, h('table', attributes,
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, rows)));
}

export function card(title, ...content) {
  return h('section', { class: 'card' }, h('h2', {}, title), content);
}

/**
 * The period a page asks for (from and to, ISO dates), by default the first day of last month to
 * today; its query string for the API.
 */
export function periodOf(params) {
  const today = new Date();
  const iso = (d) => d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-'
    + String(d.getDate()).padStart(2, '0');
  const from = params.get('from') || iso(new Date(today.getFullYear(), today.getMonth() - 1, 1));
  const to = params.get('to') || iso(today);
  return { from, to, query: 'from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to) };
}

/** A from/to form that reloads the page at its own address with the period (bookmarkable). */
export function periodForm(from, to, label) {
  return h('form', { class: 'period', method: 'get', action: location.pathname, 'aria-label': label },
    h('label', {}, 'From ', h('input', { type: 'date', name: 'from', value: from, required: true, id: 'from' })),
    h('label', {}, 'To ', h('input', { type: 'date', name: 'to', value: to, required: true, id: 'to' })),
    h('button', { type: 'submit', id: 'show-period' }, 'Show'));
}

/**
 * A table a person can sort (click or Enter on a column's header button) and filter (text, and a
 * column's value from a list). Columns: { label, key, sort: (a, b) => n, cell: (row) => node or text }.
 */
export function sortableTable(id, columns, rows, { filterLabel = 'Filter', choose = null } = {}) {
  let sortBy = null;
  let descending = false;
  const body = h('tbody', {});
  const count = h('p', { class: 'muted', id: id + '-count', 'aria-live': 'polite' });
  const filter = h('input', { type: 'search', id: id + '-filter', 'aria-label': filterLabel, placeholder: filterLabel });
  const select = choose ? h('select', { id: id + '-' + choose.key, 'aria-label': choose.label },
    h('option', { value: '' }, 'every ' + choose.label),
    [...new Set(rows.map((row) => String(row[choose.key])))].sort().map((v) => h('option', { value: v }, v))) : null;
  const headers = columns.map((column) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-key': column.key }, column.label);
    const th = h('th', { scope: 'col', 'aria-sort': 'none' }, button);
    button.addEventListener('click', () => {
      descending = sortBy === column ? !descending : false;
      sortBy = column;
      headers.forEach((other) => other.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      render();
    });
    return th;
  });
  const text = (row) => columns.map((column) => String(row[column.key] ?? '')).join(' ').toLowerCase();
  function render() {
    const needle = filter.value.trim().toLowerCase();
    let shown = rows.filter((row) => (!needle || text(row).includes(needle))
      && (!select || !select.value || String(row[choose.key]) === select.value));
    if (sortBy) {
      // rows without a value go last whichever the direction
      const compare = sortBy.sort || ((a, b) => String(a[sortBy.key]).localeCompare(String(b[sortBy.key])));
      const missing = (row) => row[sortBy.key] === null || row[sortBy.key] === undefined;
      shown = [...shown.filter((row) => !missing(row)).sort((a, b) => (descending ? -1 : 1) * compare(a, b)),
        ...shown.filter(missing)];
    }
    replace(body, shown.map((row) => h('tr', {}, columns.map((column) =>
      h('td', { 'data-column': column.key }, column.cell ? column.cell(row) : value(column.key, row[column.key]))))));
    replace(count, shown.length + ' of ' + rows.length + ' shown');
  }
  filter.addEventListener('input', render);
  if (select) {
    select.addEventListener('change', render);
  }
  render();
  return h('div', {}, h('div', { class: 'toolbar' }, filter, select, count),
    h('div', { class: 'scroll' }, h('table', { id }, h('thead', {}, h('tr', {}, headers)), body)));
}

/** A numeric column of decimal texts, sorted exactly. */
export function decimalColumn(label, key, cell = null) {
  return { label, key, sort: (a, b) => compareDecimals(a[key], b[key]), cell: cell || ((row) => amount(row[key])) };
}

/** The CSV of an API call, downloaded with the same bytes the API sends. */
export function csvButton(id, path, name) {
  const button = h('button', { type: 'button', id }, 'Download CSV');
  button.addEventListener('click', async () => {
    try {
      download(name, await apiBytes(path, 'text/csv'), 'text/csv');
    } catch (e) {
      button.after(problemBox(e));
    }
  });
  return button;
}
