package com.qiledger.api.completeness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The completeness report as one CSV table (RFC 4180): a {@code record} column says which part of the JSON a
 * row is, {@code provider_events} (one row per callback status with its count), {@code missing} (one row per
 * event) or {@code resend_requested} (one row per resend); the other columns are blank where they do not apply.
 */
final class CompletenessCsv {

    static final List<String> COLUMNS = List.of("record", "period_from", "period_to", "callback_status", "count",
            "event_key", "event_type", "origin_key", "callback_key", "day", "first_seen_at", "resend_state",
            "resends", "resend_id", "asked_by", "asked_at", "answer", "answer_status", "answered_at",
            "delivery_receipt", "delivery_outcome", "delivery_arrived_at");

    private CompletenessCsv() {
    }

    static byte[] report(CompletenessReport.Report report) {
        StringBuilder csv = new StringBuilder();
        line(csv, COLUMNS.toArray());
        String from = report.from().toString();
        String to = report.to().toString();
        line(csv, "provider_events", from, to, "(events)", report.providerEvents().events());
        report.providerEvents().byCallbackStatus().forEach((status, count) ->
                line(csv, "provider_events", from, to, status, count));
        for (CompletenessReport.Missing missing : report.missing()) {
            line(csv, "missing", from, to, missing.callbackStatus(), null, missing.eventKey(), missing.eventType(),
                    missing.originKey(), String.join(" ", missing.callbacks().stream()
                            .map(CompletenessReport.Callback::callbackKey).toList()), missing.day(),
                    missing.firstSeenAt(), missing.resendState(), missing.resends());
        }
        for (CompletenessReport.Resend resend : report.resendRequested()) {
            CompletenessReport.Delivery delivery = resend.delivery();
            line(csv, "resend_requested", from, to, resend.statusSeen(), null, resend.eventKey(), resend.eventType(),
                    resend.originKey(), resend.callbackKey(), null, null, null, null, resend.resendId(),
                    resend.askedBy(), resend.askedAt(), resend.answer(), resend.answerStatus(), resend.answeredAt(),
                    delivery == null ? null : delivery.receipt(), delivery == null ? null : delivery.outcome(),
                    delivery == null ? null : delivery.arrivedAt());
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder csv, Object... cells) {
        List<Object> row = new ArrayList<>(Arrays.asList(cells));
        while (row.size() < COLUMNS.size()) {
            row.add(null);
        }
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(row.get(i)));
        }
        csv.append("\r\n");
    }

    /** Quoted when it holds a comma, quote or line break; a leading formula character is neutralised. */
    static String cell(Object value) {
        String text = Objects.toString(value, "");
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
