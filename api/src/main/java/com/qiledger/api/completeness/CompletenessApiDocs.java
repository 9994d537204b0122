package com.qiledger.api.completeness;

import com.qiledger.api.platform.ApiDocs;
import com.qiledger.api.platform.ApiDocs.OperationDoc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The completeness answers' part of the OpenAPI description (issue 28). */
@Configuration(proxyBeanMethods = false)
public class CompletenessApiDocs {

    static final String OFF = " `503` `provider-not-configured` naming the missing setting (`ledger.provider.base-url`, "
            + "`.client-key`, `.private-key`) when the sweep is off.";

    @Bean
    public ApiDocs completenessDocs() {
        Map<String, OperationDoc> operations = new LinkedHashMap<>();
        operations.put("GET /api/v1/completeness", new OperationDoc(
                "The provider's events of a period set against the ledger",
                "`from` and `to` (YYYY-MM-DD, UTC, both included): the events the completeness sweeps saw in the "
                        + "provider's notification API listed under those days. `provider_events`: events and "
                        + "callbacks counted by their latest callback status; `missing`: events with no callback "
                        + "`sent` and no delivery arrived for a resend (event key, type, origin key, callback status, "
                        + "resend state `not_asked`, `asked`, `accepted`, `refused` or `failed`); `resend_requested`: "
                        + "every resend asked for those events (who asked, when, the provider's answer as received, "
                        + "and the delivery that arrived for it: receipt, outcome, time). CSV with `Accept: text/csv` "
                        + "(a `record` column names the part). `400` `bad-period`." + OFF, example()));
        operations.put("GET /api/v1/completeness/sweeps", new OperationDoc("The completeness sweeps run so far",
                "Newest first (50): state (`in_progress`, resumed from its `watermark`; `completed`; `stopped` with "
                        + "its `error`), who or what started it, the range, windows and pages read, callbacks seen per "
                        + "status, resends asked for, every failed, refused or garbage answer with its request; the "
                        + "operators' requests; and the undelivered events' `status` as the health shows it." + OFF,
                null));
        operations.put("POST /api/v1/completeness/sweeps", new OperationDoc("Start a completeness sweep now",
                "Optional body `{\"from\", \"to\"}` (dates or instants; default the last `ledger.provider.sweep."
                        + "lookback`). Answers `202` with `request_id` once the request is recorded; a node starts it "
                        + "within a second, after any sweep in progress; follow it at `/api/v1/completeness/sweeps`. "
                        + "`400` `bad-field` naming the field." + OFF, null));
        return new ApiDocs(Map.of(), operations);
    }

    private static Map<String, Object> example() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("from", "2026-03-01");
        report.put("to", "2026-03-14");
        report.put("provider_events", Map.of("events", 2, "callbacks", 2, "by_callback_status",
                Map.of("failed", 1, "sent", 1)));
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("event_key", "8a2e7f0c-4b1d-4e3a-9c5f-1d2e3f4a5b6c");
        missing.put("event_type", "bank_slip.status_change");
        missing.put("origin_key", "5b0e7a52-6c1d-4f0e-9a7b-1c2d3e4f5a6b");
        missing.put("callback_status", "failed");
        missing.put("resend_state", "asked");
        report.put("missing", List.of(missing));
        report.put("resend_requested", List.of(Map.of("event_key", "8a2e7f0c-4b1d-4e3a-9c5f-1d2e3f4a5b6c",
                "callback_key", "c-1", "asked_by", "completeness sweep 0f8e4b8e-5a57-3b3c-9d55-1f0c2e7a9b41",
                "asked_at", "2026-03-15T12:00:00Z", "answer", "accepted", "answer_status", 200)));
        return report;
    }
}
