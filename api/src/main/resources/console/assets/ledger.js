// Money movements for finance: a period's entries with totals per kind (exact), a chart over time,
// and the CSV exactly as the API sends it.
import { amount, api, card, csvButton, decimalColumn, periodOf, entityLink, h, periodForm, receiptLink, replace,
  sortableTable, sumDecimals, table, time } from './core.js';
import { timeChart } from './charts.js';

export async function ledgerPage(box, params) {
  const { from, to, query } = periodOf(params);
  document.title = 'Money movements ' + from + ' to ' + to + ' · QI Ledger';
  const path = '/api/v1/ledger/entries?' + query;
  replace(box, h('h1', {}, 'Money movements'), periodForm(from, to, 'Period of the entries'));
  const ledger = await api(path);
  const entries = ledger.entries;
  const kinds = [...new Set(entries.map((e) => e.kind))].sort();
  const chart = h('div', { id: 'ledger-chart' });
  box.append(
    h('div', { class: 'toolbar' }, h('p', {}, String(entries.length), ' entries from ', ledger.from, ' to ', ledger.to, '.'),
      csvButton('download-csv', path, 'ledger-' + from + '-' + to + '.csv')),
    card('Totals per kind', table(['kind', 'entries', 'without amount', 'total'], [
      ...kinds.map((kind) => {
        const of = entries.filter((e) => e.kind === kind);
        return h('tr', { 'data-kind': kind }, h('td', {}, kind), h('td', {}, String(of.length)),
          h('td', {}, String(of.filter((e) => e.amount === null).length)),
          h('td', { 'data-column': 'total' }, amount(sumDecimals(of.map((e) => e.amount)))));
      })], { id: 'totals' })),
    card('Amounts over time (per effective day)', chart));
  if (entries.length === 0) {
    chart.append(h('p', { class: 'muted' }, 'No entry in this period.'));
  } else {
    const days = [...new Set(entries.map((e) => e.effective_date))].sort();
    const xs = days.map((day) => Date.parse(day + 'T00:00:00Z') / 1000);
    timeChart(chart, xs, kinds.map((kind) => ({
      label: kind,
      values: days.map((day) => {
        const of = entries.filter((e) => e.kind === kind && e.effective_date === day && e.amount !== null);
        return of.length === 0 ? null : Number(sumDecimals(of.map((e) => e.amount)));
      }),
    })), 'Sum of each kind of entry per effective day');
  }
  box.append(card('Entries', entries.length === 0 ? h('p', { class: 'muted' }, 'None.') : sortableTable('entries', [
    { label: 'effective date', key: 'effective_date' },
    { label: 'entity', key: 'entity' },
    { label: 'key', key: 'key', cell: (e) => entityLink(e.entity, e.key) },
    { label: 'kind', key: 'kind' },
    decimalColumn('amount', 'amount'),
    { label: 'source', key: 'effective_source' },
    { label: 'reference', key: 'reference' },
    { label: 'detail', key: 'detail' },
    { label: 'recorded', key: 'recorded_at', cell: (e) => time(e.recorded_at) },
    { label: 'delivery', key: 'receipt', cell: (e) => receiptLink(e.receipt) },
  ], entries, { filterLabel: 'Filter the entries', choose: { key: 'kind', label: 'kind' } })));
}
