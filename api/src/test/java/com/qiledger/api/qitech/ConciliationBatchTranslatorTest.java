package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.Webhooks;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.RecordConciliationBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConciliationBatchTranslatorTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String TYPE = "baas.automatic_pix.payment_order_conciliation_batch.creation";
    final QiTechTranslator translator = new QiTechTranslator(List.of(new ConciliationBatchTranslator()));

    List<RecordConciliationBatch> commands(byte[] body) {
        Translation t = translator.translate(body, NOW);
        assertThat(t).isInstanceOf(Translation.Commands.class);
        assertThat(t.webhookType()).isEqualTo(TYPE);
        return ((Translation.Commands) t).commands().stream().map(RecordConciliationBatch.class::cast).toList();
    }

    /** One batch element inside an otherwise valid creation webhook. */
    static String withBatches(String batches) {
        return "{\"webhook_type\":\"" + TYPE + "\",\"webhook_datetime\":\"2021-10-22T20:30:23.459Z\","
                + "\"data\":{\"payment_order_conciliation_batches\":" + batches + "}}";
    }

    String quarantineReason(String body) {
        Translation t = translator.translate(body.getBytes(), NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        return ((Translation.Quarantine) t).reason();
    }

    @Test
    void theSeedGivesOneCommandPerBatchWithExactFigures() {
        List<RecordConciliationBatch> commands = commands(Webhooks.read("conciliation-batch/creation.json"));
        assertThat(commands).hasSize(2);

        RecordConciliationBatch fixed = commands.get(0);
        assertThat(fixed.batchKey()).isEqualTo("98fc62fd-b0a0-4604-9bea-475e91a9dc82");
        assertThat(fixed.aggregateId()).isEqualTo("ConciliationBatch:98fc62fd-b0a0-4604-9bea-475e91a9dc82");
        assertThat(fixed.webhookType()).isEqualTo(TYPE);
        assertThat(fixed.isCreation()).isTrue();
        assertThat(fixed.occurredAt()).isEqualTo(Instant.parse("2021-10-22T20:30:23.459Z"));
        assertThat(fixed.recordedAt()).isEqualTo(NOW);
        assertThat(fixed.figures()).isEqualTo(new BatchFigures("open", "fixed_amount", "uuid",
                new BigDecimal("0"), new BigDecimal("0"), 0L, 0L, LocalDate.parse("2025-06-13"),
                Instant.parse("2025-06-10T20:30:23.459Z")));

        RecordConciliationBatch variable = commands.get(1);
        assertThat(variable.batchKey()).isEqualTo("99fc62fd-b0a0-4604-9bea-475e91a9dc82");
        assertThat(variable.occurredAt()).isEqualTo(fixed.occurredAt());
        assertThat(variable.recordedAt()).isEqualTo(NOW);
        assertThat(variable.figures()).isEqualTo(new BatchFigures("open", "variable_amount", "uuid",
                new BigDecimal("0"), new BigDecimal("0"), 0L, 0L, LocalDate.parse("2025-06-13"),
                Instant.parse("2025-06-10T20:30:23.459Z")));
    }

    @Test
    void numbersSentAsStringsReadTheSameAndAmountsKeepTheirScale() {
        List<RecordConciliationBatch> commands = commands(withBatches("[{"
                + "\"payment_order_conciliation_batch_key\":\" k1 \","
                + "\"payment_order_conciliation_batch_status\":\"open\","
                + "\"payment_order_conciliation_batch_type\":\"variable_amount\","
                + "\"total_amount\":\"1500.50\",\"conciliated_amount\":12.30,"
                + "\"total_payment_orders\":\"12\",\"conciliated_payment_orders\":3.0,"
                + "\"reference_date\":\"2025-06-13\",\"created_at\":\"2025-06-10T17:30:23\","
                + "\"brand_new_field\":{\"x\":[1,2,]},}]").getBytes());
        BatchFigures f = commands.get(0).figures();
        assertThat(commands.get(0).batchKey()).isEqualTo("k1");
        assertThat(f.totalAmount()).isEqualTo(new BigDecimal("1500.50"));
        assertThat(f.conciliatedAmount()).isEqualTo(new BigDecimal("12.30"));
        assertThat(f.totalPaymentOrders()).isEqualTo(12L);
        assertThat(f.conciliatedPaymentOrders()).isEqualTo(3L);
        assertThat(f.accountKey()).isNull();
        // a zone-less time is São Paulo time (UTC-3)
        assertThat(f.createdAt()).isEqualTo(Instant.parse("2025-06-10T20:30:23Z"));
    }

    @Test
    void theListDecidesHowManyCommands() {
        String batch = "{\"payment_order_conciliation_batch_key\":\"k%d\",\"total_payment_orders\":1,"
                + "\"conciliated_payment_orders\":0}";
        assertThat(commands(withBatches("[" + batch.formatted(1) + "]").getBytes())).hasSize(1);
        assertThat(commands(withBatches("[" + batch.formatted(1) + "," + batch.formatted(2) + ","
                + batch.formatted(3) + "]").getBytes()))
                .extracting(RecordConciliationBatch::batchKey).containsExactly("k1", "k2", "k3");
    }

    @Test
    void badInputBecomesAPreciseQuarantineReason() {
        String good = "{\"payment_order_conciliation_batch_key\":\"k1\",\"total_payment_orders\":0,"
                + "\"conciliated_payment_orders\":0}";
        assertThat(quarantineReason("{\"webhook_type\":\"" + TYPE + "\",\"data\":{\"payment_order_conciliation_batches\":["
                + good + "]}}")).isEqualTo("required field 'webhook_datetime' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"" + TYPE + "\",\"webhook_datetime\":\"soon\"}"))
                .isEqualTo("'webhook_datetime' is not a date-time: 'soon'");
        assertThat(quarantineReason("{\"webhook_type\":\"" + TYPE + "\",\"webhook_datetime\":\"2021-10-22T20:30:23.459Z\"}"))
                .isEqualTo("required field 'data' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"" + TYPE + "\",\"webhook_datetime\":\"2021-10-22T20:30:23.459Z\","
                + "\"data\":{}}")).isEqualTo("required field 'data.payment_order_conciliation_batches' is missing");
        assertThat(quarantineReason(withBatches("null")))
                .isEqualTo("required field 'data.payment_order_conciliation_batches' is missing");
        assertThat(quarantineReason(withBatches("[]")))
                .isEqualTo("'data.payment_order_conciliation_batches' is empty: the webhook announces no batch");
        assertThat(quarantineReason(withBatches(good)))
                .isEqualTo("'data.payment_order_conciliation_batches' should be an array, not OBJECT");
        assertThat(quarantineReason(withBatches("[" + good + ",\"k2\"]")))
                .isEqualTo("data.payment_order_conciliation_batches[1]: should be an object, not STRING");
        assertThat(quarantineReason(withBatches("[" + good + ",{\"total_payment_orders\":0,"
                + "\"conciliated_payment_orders\":0}]")))
                .isEqualTo("data.payment_order_conciliation_batches[1]: "
                        + "required field 'payment_order_conciliation_batch_key' is missing");
        assertThat(quarantineReason(withBatches("[{\"payment_order_conciliation_batch_key\":\"  \"}]")))
                .isEqualTo("data.payment_order_conciliation_batches[0]: "
                        + "required field 'payment_order_conciliation_batch_key' is missing");
        assertThat(quarantineReason(withBatches("[{\"payment_order_conciliation_batch_key\":\"k1\","
                + "\"total_amount\":\"lots\",\"total_payment_orders\":0,\"conciliated_payment_orders\":0}]")))
                .isEqualTo("data.payment_order_conciliation_batches[0]: 'total_amount' is not a number: 'lots'");
        assertThat(quarantineReason(withBatches("[{\"payment_order_conciliation_batch_key\":\"k1\","
                + "\"conciliated_payment_orders\":0}]")))
                .isEqualTo("data.payment_order_conciliation_batches[0]: required field 'total_payment_orders' is missing");
        assertThat(quarantineReason(withBatches("[{\"payment_order_conciliation_batch_key\":\"k1\","
                + "\"total_payment_orders\":2.5,\"conciliated_payment_orders\":0}]")))
                .isEqualTo("data.payment_order_conciliation_batches[0]: 'total_payment_orders' is not a whole number: '2.5'");
        assertThat(quarantineReason(withBatches("[{\"payment_order_conciliation_batch_key\":\"k1\","
                + "\"total_payment_orders\":1,\"conciliated_payment_orders\":0,\"reference_date\":\"13/06/2025\"}]")))
                .isEqualTo("data.payment_order_conciliation_batches[0]: 'reference_date' is not a date: '13/06/2025'");
    }
}
