// Reconciliation for finance: a period's summary per rule and category with its chart, the breaks
// (sortable, filterable, each linking to its entity), and the CSV exactly as the API sends it.
import { amount, api, card, csvButton, decimalColumn, periodOf, entityLink, h, periodForm, replace, sortableTable,
  sumDecimals, table } from './core.js';
import { barChart } from './charts.js';

function counts(row) {
  return row.expected_count === null ? '' : ' (' + row.actual_count + ' of ' + row.expected_count + ' orders)';
}

export async function reconciliationPage(box, params) {
  const { from, to, query } = periodOf(params);
  document.title = 'Reconciliation ' + from + ' to ' + to + ' · QI Ledger';
  const path = '/api/v1/reports/reconciliation?' + query;
  replace(box, h('h1', {}, 'Reconciliation'), periodForm(from, to, 'Period of the report'));
  const report = await api(path);
  const summary = report.summary;
  const total = (key) => amount(sumDecimals(summary.map((row) => row[key])));
  const chart = h('div', { id: 'reconciliation-chart' });
  box.append(
    h('div', { class: 'toolbar' }, h('p', {}, 'From ', report.from, ' to ', report.to, '; a slip is unsettled after ',
      String(report.unsettled_after_days), ' days.'), csvButton('download-csv', path, 'reconciliation-' + from + '-' + to
      + '.csv')),
    card('Summary per rule and category', table(['rule', 'category', 'breaks', 'expected', 'actual', 'difference'],
      [...summary.map((row) => h('tr', { 'data-category': row.category, class: String(row.breaks) === '0' ? 'quiet' : null },
        h('td', {}, String(row.rule)), h('td', {}, row.category, counts(row)), h('td', { 'data-column': 'breaks' },
          String(row.breaks)), h('td', { 'data-column': 'expected' }, amount(row.expected)),
        h('td', { 'data-column': 'actual' }, amount(row.actual)),
        h('td', { 'data-column': 'difference' }, amount(row.difference)))),
      h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: '2' }, 'total'),
        h('td', {}, String(summary.reduce((n, row) => n + Number(String(row.breaks)), 0))),
        h('td', {}, total('expected')), h('td', {}, total('actual')), h('td', {}, total('difference')))],
      { id: 'summary' })),
    card('Expected and actual by category', chart));
  const broken = summary.filter((row) => String(row.breaks) !== '0');
  if (broken.length === 0) {
    chart.append(h('p', { class: 'muted' }, 'No break in this period: nothing to chart.'));
  } else {
    barChart(chart, broken.map((row) => row.category + ' (' + row.breaks + ')'), [
      { label: 'expected', values: broken.map((row) => Number(String(row.expected))) },
      { label: 'actual', values: broken.map((row) => Number(String(row.actual))) }],
    'Expected and actual amounts of the breaks, by category (number of breaks in brackets)');
  }
  box.append(card('Conciliation batches by reference date', report.batches_by_reference_date.length === 0
    ? h('p', { class: 'muted' }, 'None.')
    : table(['reference date', 'batches', 'total', 'conciliated', 'open', 'orders open', 'age (days)'],
      report.batches_by_reference_date.map((row) => h('tr', {}, h('td', {}, row.reference_date),
        h('td', {}, String(row.batches)), h('td', {}, amount(row.total_amount)), h('td', {}, amount(row.conciliated_amount)),
        h('td', {}, amount(row.open_amount)), h('td', {}, String(row.open_payment_orders)),
        h('td', {}, String(row.age_in_days)))))));
  box.append(card('Breaks', report.breaks.length === 0 ? h('p', { class: 'muted' }, 'No break in this period.')
    : sortableTable('breaks', [
      { label: 'rule', key: 'rule', sort: (a, b) => Number(String(a.rule)) - Number(String(b.rule)), cell: (r) => String(r.rule) },
      { label: 'category', key: 'category' },
      { label: 'entity', key: 'entity' },
      { label: 'key', key: 'key', cell: (r) => entityLink(r.entity, r.key) },
      { label: 'reference', key: 'reference' },
      { label: 'effective date', key: 'effective_date' },
      decimalColumn('expected', 'expected'),
      decimalColumn('actual', 'actual'),
      decimalColumn('difference', 'difference'),
      { label: 'reason', key: 'reason' },
      { label: 'age (days)', key: 'age_in_days', sort: (a, b) => Number(String(a.age_in_days)) - Number(String(b.age_in_days)),
        cell: (r) => String(r.age_in_days) },
    ], report.breaks, { filterLabel: 'Filter the breaks', choose: { key: 'category', label: 'category' } })));
}
