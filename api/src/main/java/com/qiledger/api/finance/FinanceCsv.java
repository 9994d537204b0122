package com.qiledger.api.finance;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.qiledger.query.finance.CategorySummary;
import com.qiledger.query.finance.LedgerEntries;
import com.qiledger.query.finance.LedgerEntry;
import com.qiledger.query.finance.ReconciliationBreak;
import com.qiledger.query.finance.ReconciliationReport;
import com.qiledger.query.finance.ReferenceDateSubtotal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV renderings of the finance answers, RFC 4180: a header row, CRLF line ends, fields quoted only
 * when they must be (a comma, a quote, a line break), quotes doubled, UTF-8, {@code .} as decimal
 * separator. Amounts have two decimals, rounded HALF_EVEN (the JSON keeps them exact); an absent value
 * is an empty field. Quoting is Jackson's ({@code jackson-dataformat-csv}), not hand-written.
 *
 * <p>The report is one table whose {@code section} column says what a row is: {@code summary} (one per
 * category, {@code count} = number of breaks), {@code batches_by_reference_date} (rule 5 per reference
 * date, {@code count} = batches, {@code expected}/{@code actual}/{@code difference} = total, conciliated
 * and open amounts, the {@code *_count} columns the payment orders) and {@code break} (one per break).
 */
public final class FinanceCsv {

    static final List<String> ENTRY_COLUMNS = List.of("effective_date", "entity", "key", "kind", "amount",
            "effective_source", "effective_at", "recorded_at", "reference", "detail", "receipt", "event_id",
            "position", "ordinal");

    static final List<String> REPORT_COLUMNS = List.of("section", "rule", "category", "entity", "key", "reference",
            "effective_date", "count", "expected", "actual", "difference", "expected_count", "actual_count",
            "difference_count", "reason", "age_in_days");

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();

    private FinanceCsv() {
    }

    public static byte[] entries(LedgerEntries entries) {
        return write(ENTRY_COLUMNS, entries.entries().stream().map(FinanceCsv::row).toList());
    }

    public static byte[] report(ReconciliationReport report) {
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        for (CategorySummary s : report.summary()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("section", "summary");
            row.put("rule", Integer.toString(s.rule()));
            row.put("category", s.category());
            row.put("count", Long.toString(s.breaks()));
            row.put("expected", money(s.expected()));
            row.put("actual", money(s.actual()));
            row.put("difference", money(s.difference()));
            row.put("expected_count", text(s.expectedCount()));
            row.put("actual_count", text(s.actualCount()));
            row.put("difference_count", text(s.differenceCount()));
            rows.add(row);
        }
        for (ReferenceDateSubtotal d : report.batchesByReferenceDate()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("section", "batches_by_reference_date");
            row.put("rule", "5");
            row.put("entity", "conciliation-batches");
            row.put("effective_date", d.referenceDate().toString());
            row.put("count", Long.toString(d.batches()));
            row.put("expected", money(d.totalAmount()));
            row.put("actual", money(d.conciliatedAmount()));
            row.put("difference", money(d.openAmount()));
            row.put("expected_count", Long.toString(d.totalPaymentOrders()));
            row.put("actual_count", Long.toString(d.conciliatedPaymentOrders()));
            row.put("difference_count", Long.toString(d.openPaymentOrders()));
            row.put("age_in_days", Long.toString(d.ageInDays()));
            rows.add(row);
        }
        for (ReconciliationBreak b : report.breaks()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("section", "break");
            row.put("rule", Integer.toString(b.rule()));
            row.put("category", b.category());
            row.put("entity", b.entity());
            row.put("key", b.key());
            row.put("reference", b.reference());
            row.put("effective_date", text(b.effectiveDate()));
            row.put("expected", money(b.expected()));
            row.put("actual", money(b.actual()));
            row.put("difference", money(b.difference()));
            row.put("expected_count", text(b.expectedCount()));
            row.put("actual_count", text(b.actualCount()));
            row.put("difference_count", text(b.differenceCount()));
            row.put("reason", b.reason());
            row.put("age_in_days", Long.toString(b.ageInDays()));
            rows.add(row);
        }
        return write(REPORT_COLUMNS, rows);
    }

    private static Map<String, String> row(LedgerEntry e) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("effective_date", e.effectiveDate().toString());
        row.put("entity", e.entity());
        row.put("key", e.key());
        row.put("kind", e.kind());
        row.put("amount", money(e.amount()));
        row.put("effective_source", e.effectiveSource());
        row.put("effective_at", text(e.effectiveAt()));
        row.put("recorded_at", text(e.recordedAt()));
        row.put("reference", e.reference());
        row.put("detail", e.detail());
        row.put("receipt", e.receipt());
        row.put("event_id", e.eventId());
        row.put("position", Long.toString(e.position()));
        row.put("ordinal", Integer.toString(e.ordinal()));
        return row;
    }

    /** Two decimals, HALF_EVEN, plain notation; empty when absent. */
    static String money(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    static byte[] write(List<String> columns, List<Map<String, String>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false).setLineSeparator("\r\n");
        columns.forEach(schema::addColumn);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SequenceWriter writer = MAPPER.writer(schema.build()).writeValues(out)) {
            // The header is written as a row of its own, so that an empty answer still has one.
            Map<String, String> header = new LinkedHashMap<>();
            columns.forEach(c -> header.put(c, c));
            writer.write(header);
            for (Map<String, String> row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a finance CSV could not be written", e);
        }
        return out.toByteArray();
    }
}
