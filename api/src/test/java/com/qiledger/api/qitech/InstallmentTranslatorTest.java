package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.Webhooks;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.command.messages.installment.RecordInstallmentBilling;
import com.qiledger.command.messages.installment.RecordInstallmentStatusChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InstallmentTranslatorTest {

    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    static final String TYPE = "installment.status_change";
    final QiTechTranslator translator = new QiTechTranslator(List.of(new InstallmentTranslator()));

    List<LedgerCommand> commands(byte[] body) {
        Translation t = translator.translate(body, NOW);
        assertThat(t).isInstanceOf(Translation.Commands.class);
        assertThat(t.webhookType()).isEqualTo(TYPE);
        return ((Translation.Commands) t).commands();
    }

    RecordInstallmentStatusChange statusChange(String body) {
        List<LedgerCommand> commands = commands(body.getBytes());
        assertThat(commands).hasSize(1);
        return (RecordInstallmentStatusChange) commands.get(0);
    }

    String quarantineReason(String body) {
        Translation t = translator.translate(body.getBytes(), NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        return ((Translation.Quarantine) t).reason();
    }

    /** A status-change webhook around the given {@code data} members. */
    static String withData(String data) {
        return "{\"key\":\"debt-1\",\"webhook_type\":\"" + TYPE + "\",\"data\":{" + data + "}}";
    }

    static String withInstallment(String installment) {
        return withData("\"status\":\"paid\",\"is_finished\":true,\"installment\":" + installment);
    }

    static String withBillings(String installments) {
        return withData("\"status\":\"update\",\"installments\":" + installments);
    }

    @Test
    void theSeedStatusChangeKeepsEveryField() {
        List<LedgerCommand> commands = commands(Webhooks.read("installment/status_change_paid.json"));
        assertThat(commands).hasSize(1);
        RecordInstallmentStatusChange c = (RecordInstallmentStatusChange) commands.get(0);
        assertThat(c.installmentKey()).isEqualTo("92a05d9c-e457-4f28-9fa8-86be638ee2d0");
        assertThat(c.debtKey()).isEqualTo("92a05d9c-e457-4f28-9fa8-86be638ee2d0");
        assertThat(c.aggregateId()).isEqualTo("Installment:92a05d9c-e457-4f28-9fa8-86be638ee2d0");
        assertThat(c.recordedAt()).isEqualTo(NOW);
        // zone-less times are São Paulo (UTC-3); the latest of them is the payment's
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2026-02-10T14:39:07Z"));
        assertThat(c.report()).isEqualTo(new InstallmentStatusReport(
                InstallmentStatus.PAID,
                InstallmentStatus.PAID,
                true,
                LocalDate.parse("2022-10-28"),
                Instant.parse("2022-09-27T10:03:34Z"),
                List.of(new InstallmentOccurrence("payment", Instant.parse("2022-09-27T10:03:34Z"),
                        new BigDecimal("1009.68"), Instant.parse("2022-09-27T10:03:35Z"), "opened", null)),
                List.of(new InstallmentPayment("f03e1fbc-6d7a-456b-bd6a-db0faac1b481",
                        Instant.parse("2026-02-10T14:39:07Z"), new BigDecimal("1009.68"), "pix"))));
    }

    @Test
    void theSeedBillingUpdateKeepsEveryFieldWithFullScale() {
        List<LedgerCommand> commands = commands(Webhooks.read("installment/update_billing.json"));
        assertThat(commands).hasSize(1);
        RecordInstallmentBilling c = (RecordInstallmentBilling) commands.get(0);
        assertThat(c.installmentKey()).isEqualTo("bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d");
        assertThat(c.debtKey()).isEqualTo("96015228-4905-42fc-bda6-e70e0e552b6b");
        assertThat(c.aggregateId()).isEqualTo("Installment:bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d");
        assertThat(c.recordedAt()).isEqualTo(NOW);
        assertThat(c.billing()).isEqualTo(new InstallmentBilling(
                "32990001455000000000503007797909797660000100000",
                "7d20015e-c4ed-4290-b255-33c1c5b56362",
                "00020126580014br.gov.bcb.pix0136dc4a27db-2fe1-474d-aa02-88d6fffb8d0d5204000053039865802BR5921"
                        + "NeymarSportEMarketing6008saopaulo62070503***63040EB2",
                new BigDecimal("141.07452576"),
                new BigDecimal("72.89547424"),
                "5f25e9fd-f612-47a3-acff-be9f29d87f6c",
                LocalDate.parse("2024-07-17"),
                new BigDecimal("216.97")));
        assertThat(c.billing().principalAmortizationAmount().scale()).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(InstallmentStatus.class)
    void everyDocumentedStatusIsRead(InstallmentStatus status) {
        var c = statusChange(withData("\"status\":\"" + status.providerName() + "\",\"installment\":"
                + "{\"installment_key\":\"i1\",\"installment_status\":{\"enumerator\":\"" + status.providerName()
                + "\"}}"));
        assertThat(c.report().status()).isEqualTo(status);
        assertThat(c.report().dataStatus()).isEqualTo(status);
        // no time anywhere in the webhook: no provider time
        assertThat(c.occurredAt()).isNull();
        assertThat(c.report().finished()).isNull();
        assertThat(c.report().occurrences()).isEmpty();
        assertThat(c.report().payments()).isEmpty();
    }

    @Test
    void aDataStatusThatDisagreesWithTheInstallmentStatusIsKeptAsSent() {
        var c = statusChange(withData("\"status\":\"paid_early\",\"installment\":{\"installment_key\":\"i1\","
                + "\"installment_status\":{\"enumerator\":\"paid\"}}"));
        assertThat(c.report().status()).isEqualTo(InstallmentStatus.PAID);
        assertThat(c.report().dataStatus()).isEqualTo(InstallmentStatus.PAID_EARLY);
    }

    @Test
    void withoutAnInstallmentStatusTheDataStatusStands() {
        var c = statusChange(withData("\"status\":\"overdue\",\"is_finished\":false,"
                + "\"installment\":{\"installment_key\":\" i1 \"}"));
        assertThat(c.installmentKey()).isEqualTo("i1");
        assertThat(c.report().status()).isEqualTo(InstallmentStatus.OVERDUE);
        assertThat(c.report().finished()).isFalse();
    }

    @Test
    void theLatestOfAllDatesIsTheProviderTimeAndDriftingTypesAreRead() {
        var c = statusChange(withInstallment("{\"installment_key\":\"i1\",\"paid_at\":\"2022-09-27T07:03:34\","
                + "\"events\":[{\"amount\":\"10.50\",\"event_date\":\"2022-09-28 08:00:00\","
                + "\"installment_event_type\":\"payment\",\"old_due_date\":\"2022-09-01\"}],"
                + "\"installment_payment\":[{\"installment_payment_key\":\"p1\",\"paid_at\":\"2022-09-27T10:00:00Z\","
                + "\"paid_amount\":\"10.50\",\"paid_method_type\":{\"enumerator\":\"bank_slip\"},\"new\":[1,2,]}],"
                + "\"brand_new_field\":{}}"));
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2022-09-28T11:00:00Z"));
        assertThat(c.report().occurrences()).containsExactly(new InstallmentOccurrence("payment",
                Instant.parse("2022-09-28T11:00:00Z"), new BigDecimal("10.50"), null, null,
                LocalDate.parse("2022-09-01")));
        assertThat(c.report().payments()).containsExactly(new InstallmentPayment("p1",
                Instant.parse("2022-09-27T10:00:00Z"), new BigDecimal("10.50"), "bank_slip"));
    }

    @Test
    void anUpdateGivesOneCommandPerElementInOrder() {
        String element = "{\"installment_key\":\"i%d\",\"total_amount\":%s,\"due_date\":\"2024-0%d-17\"}";
        List<LedgerCommand> commands = commands(withBillings("[" + element.formatted(1, "1.10", 7) + ","
                + element.formatted(2, "\"2.20\"", 8) + "," + element.formatted(3, "3", 9) + "]").getBytes());
        assertThat(commands).hasSize(3).allMatch(RecordInstallmentBilling.class::isInstance);
        List<RecordInstallmentBilling> billings = commands.stream().map(RecordInstallmentBilling.class::cast)
                .toList();
        assertThat(billings).extracting(RecordInstallmentBilling::installmentKey).containsExactly("i1", "i2", "i3");
        assertThat(billings).extracting(RecordInstallmentBilling::debtKey).containsOnly("debt-1");
        assertThat(billings).extracting(b -> b.billing().totalAmount())
                .containsExactly(new BigDecimal("1.10"), new BigDecimal("2.20"), new BigDecimal("3"));
        assertThat(billings.get(1).billing().dueDate()).isEqualTo(LocalDate.parse("2024-08-17"));
        assertThat(billings.get(0).billing().digitableLine()).isNull();
    }

    @Test
    void badStatusChangesBecomePreciseQuarantineReasons() {
        assertThat(quarantineReason("{\"webhook_type\":\"" + TYPE + "\",\"data\":{\"status\":\"paid\"}}"))
                .isEqualTo("required field 'key' (the debt key) is missing");
        assertThat(quarantineReason("{\"key\":\"d\",\"webhook_type\":\"" + TYPE + "\"}"))
                .isEqualTo("required field 'data' is missing");
        assertThat(quarantineReason(withData("\"installment\":{\"installment_key\":\"i1\"}")))
                .isEqualTo("required field 'data.status' is missing");
        assertThat(quarantineReason(withData("\"status\":\"settled\",\"installment\":{\"installment_key\":\"i1\"}")))
                .isEqualTo("unknown installment status 'settled' in 'data.status'");
        assertThat(quarantineReason(withData("\"status\":\"paid\"")))
                .isEqualTo("required field 'data.installment' is missing");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"installment\":[]")))
                .isEqualTo("data: 'installment' should be an object, not ARRAY");
        assertThat(quarantineReason(withInstallment("{\"due_date\":\"2022-10-28\"}")))
                .isEqualTo("data.installment: required field 'installment_key' is missing");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"  \"}")))
                .isEqualTo("data.installment: required field 'installment_key' is missing");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\","
                + "\"installment_status\":{\"enumerator\":\"refunded\"}}")))
                .isEqualTo("data.installment: unknown installment status 'refunded' in 'installment_status.enumerator'");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"due_date\":\"28/10/2022\"}")))
                .isEqualTo("data.installment: 'due_date' is not a date: '28/10/2022'");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"is_finished\":\"maybe\","
                + "\"installment\":{\"installment_key\":\"i1\"}")))
                .isEqualTo("data: 'is_finished' is not a boolean: 'maybe'");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"events\":{}}")))
                .isEqualTo("data.installment: 'events' should be an array, not OBJECT");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"events\":[{},7]}")))
                .isEqualTo("data.installment.events[1]: should be an object, not NUMBER");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"events\":[{\"amount\":\"x\"}]}")))
                .isEqualTo("data.installment.events[0]: 'amount' is not a number: 'x'");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"installment_payment\":"
                + "[{\"installment_payment_key\":\"p1\"},{\"paid_amount\":1}]}")))
                .isEqualTo("data.installment.installment_payment[1]: "
                        + "required field 'installment_payment_key' is missing");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"installment_payment\":"
                + "[{\"installment_payment_key\":\"p1\",\"paid_at\":\"yesterday\"}]}")))
                .isEqualTo("data.installment.installment_payment[0]: 'paid_at' is not a date-time: 'yesterday'");
        assertThat(quarantineReason(withInstallment("{\"installment_key\":\"i1\",\"installment_payment\":"
                + "[{\"installment_payment_key\":\"p1\",\"paid_method_type\":{\"enumerator\":[1]}}]}")))
                .isEqualTo("data.installment.installment_payment[0].paid_method_type: "
                        + "'enumerator' should be a single value, not ARRAY");
    }

    @Test
    void badUpdatesQuarantineTheWholeDeliveryNamingTheElement() {
        String good = "{\"installment_key\":\"i1\",\"total_amount\":216.97}";
        assertThat(quarantineReason(withData("\"status\":\"update\"")))
                .isEqualTo("required field 'data.installments' is missing");
        assertThat(quarantineReason(withBillings("null")))
                .isEqualTo("required field 'data.installments' is missing");
        assertThat(quarantineReason(withBillings(good)))
                .isEqualTo("'data.installments' should be an array, not OBJECT");
        assertThat(quarantineReason(withBillings("\"i1\"")))
                .isEqualTo("'data.installments' should be an array, not STRING");
        assertThat(quarantineReason(withBillings("[]")))
                .isEqualTo("'data.installments' is empty: the update names no installment");
        assertThat(quarantineReason(withBillings("[" + good + ",{\"total_amount\":1}]")))
                .isEqualTo("data.installments[1]: required field 'installment_key' is missing");
        assertThat(quarantineReason(withBillings("[" + good + "," + good + ",\"i3\"]")))
                .isEqualTo("data.installments[2]: should be an object, not STRING");
        assertThat(quarantineReason(withBillings("[" + good + ",{\"installment_key\":\"i2\","
                + "\"principal_amortization_amount\":\"141,07\"}]")))
                .isEqualTo("data.installments[1]: 'principal_amortization_amount' is not a number: '141,07'");
        assertThat(quarantineReason(withBillings("[{\"installment_key\":\"i1\",\"due_date\":\"soon\"}]")))
                .isEqualTo("data.installments[0]: 'due_date' is not a date: 'soon'");
    }
}
