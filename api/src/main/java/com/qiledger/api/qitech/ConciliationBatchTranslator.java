package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.asObject;
import static com.qiledger.api.qitech.ProviderJson.at;
import static com.qiledger.api.qitech.ProviderJson.date;
import static com.qiledger.api.qitech.ProviderJson.decimal;
import static com.qiledger.api.qitech.ProviderJson.instant;
import static com.qiledger.api.qitech.ProviderJson.object;
import static com.qiledger.api.qitech.ProviderJson.present;
import static com.qiledger.api.qitech.ProviderJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.RecordConciliationBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code baas.automatic_pix.payment_order_conciliation_batch.creation} (seed 003) into one
 * {@link RecordConciliationBatch} per element of {@code data.payment_order_conciliation_batches}.
 * The webhook has no top-level key: each batch is keyed by its own
 * {@code payment_order_conciliation_batch_key}, and all share the webhook's {@code webhook_datetime}.
 * One unreadable element quarantines the whole delivery, so that a webhook is never half recorded.
 */
@Component
public class ConciliationBatchTranslator implements FamilyTranslator {

    public static final String WEBHOOK_TYPE = RecordConciliationBatch.CREATION;
    static final String BATCHES = "payment_order_conciliation_batches";

    @Override
    public Set<String> webhookTypes() {
        return Set.of(WEBHOOK_TYPE);
    }

    @Override
    public List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt) {
        Instant occurredAt = instant(webhook, "webhook_datetime");
        if (occurredAt == null) {
            throw new ProviderDataException("required field 'webhook_datetime' is missing");
        }
        JsonNode data = object(webhook, "data");
        if (data == null) {
            throw new ProviderDataException("required field 'data' is missing");
        }
        JsonNode batches = data.get(BATCHES);
        if (!present(batches)) {
            throw new ProviderDataException("required field 'data." + BATCHES + "' is missing");
        }
        if (!batches.isArray()) {
            throw new ProviderDataException("'data." + BATCHES + "' should be an array, not " + batches.getNodeType());
        }
        if (batches.isEmpty()) {
            throw new ProviderDataException("'data." + BATCHES + "' is empty: the webhook announces no batch");
        }
        List<LedgerCommand> commands = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            JsonNode batch = batches.get(i);
            commands.add(at("data." + BATCHES + "[" + i + "]", () -> command(asObject(batch), occurredAt, recordedAt)));
        }
        return commands;
    }

    private static RecordConciliationBatch command(JsonNode batch, Instant occurredAt, Instant recordedAt) {
        String key = text(batch, "payment_order_conciliation_batch_key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'payment_order_conciliation_batch_key' is missing");
        }
        BatchFigures figures = new BatchFigures(
                text(batch, "payment_order_conciliation_batch_status"),
                text(batch, "payment_order_conciliation_batch_type"),
                text(batch, "account_key"),
                decimal(batch, "total_amount"),
                decimal(batch, "conciliated_amount"),
                count(batch, "total_payment_orders"),
                count(batch, "conciliated_payment_orders"),
                date(batch, "reference_date"),
                instant(batch, "created_at"));
        return new RecordConciliationBatch(key.strip(), WEBHOOK_TYPE, occurredAt, recordedAt, figures);
    }

    /**
     * A count of payment orders, from a number or a numeric string ({@code 3}, {@code "3"},
     * {@code 3.0}). Required: a count the provider did not send is not zero.
     */
    private static long count(JsonNode batch, String field) {
        BigDecimal value = decimal(batch, field);
        if (value == null) {
            throw new ProviderDataException("required field '" + field + "' is missing");
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new ProviderDataException("'" + field + "' is not a whole number: '" + value.toPlainString() + "'");
        }
    }
}
