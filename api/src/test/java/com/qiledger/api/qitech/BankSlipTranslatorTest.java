package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.Webhooks;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class BankSlipTranslatorTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final QiTechTranslator translator = new QiTechTranslator(List.of(new BankSlipTranslator()));

    RecordBankSlipStatus single(byte[] body) {
        Translation t = translator.translate(body, NOW);
        assertThat(t).isInstanceOf(Translation.Commands.class);
        return (RecordBankSlipStatus) ((Translation.Commands) t).commands().get(0);
    }

    String quarantineReason(String body) {
        Translation t = translator.translate(body.getBytes(), NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        return ((Translation.Quarantine) t).reason();
    }

    @Test
    void registrationReadsEveryField() {
        RecordBankSlipStatus c = single(Webhooks.read("bank-slip/registered.json"));
        assertThat(c.bankSlipKey()).isEqualTo("11b13b2c-4204-41b3-8596-2ee7ecbde38c");
        assertThat(c.status()).isEqualTo(BankSlipStatus.REGISTERED);
        // "2020-11-11 21:33:03" is São Paulo time (UTC-3 then)
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2020-11-12T00:33:03Z"));
        assertThat(c.recordedAt()).isEqualTo(NOW);
        assertThat(c.facts().ourNumber()).isEqualTo("11");
        assertThat(c.facts().expiration()).isEqualTo(LocalDate.parse("2020-11-14"));
        assertThat(c.facts().rebateAmount()).isEqualByComparingTo("0");
        assertThat(c.facts().occurrence().sequence()).isEqualTo("2");
        assertThat(c.facts().occurrence().requesterProfileCode()).isEqualTo("329-01-0001-0078570");
        assertThat(c.facts().occurrence().registrationInstitutionOccurrenceDate()).isEqualTo("2020-11-11");
        assertThat(c.facts().payment()).isNull();
    }

    @Test
    void numbersAsStringsAndStringsAsNumbersReadTheSame() {
        RecordBankSlipStatus notice = single(Webhooks.read("bank-slip/payment_notice.json"));
        RecordBankSlipStatus paid = single(Webhooks.read("bank-slip/paid_qr_code.json"));
        assertThat(notice.facts().payment().paymentBank()).isEqualTo("104");
        assertThat(paid.facts().payment().paymentBank()).isEqualTo("329");
        assertThat(notice.facts().payment().paymentMethod()).isEqualTo("2");
        assertThat(paid.facts().payment().paymentMethod()).isEqualTo("2");
        assertThat(notice.facts().payment().paymentOrigin()).isEqualTo(new PaymentOrigin("3", "internet banking"));
        assertThat(paid.facts().payment().paymentOrigin()).isEqualTo(new PaymentOrigin("901", "Pix QR code"));
        assertThat(notice.facts().occurrence().sequence()).isEqualTo("0");
        assertThat(paid.facts().occurrence().sequence()).isEqualTo("0");
        assertThat(notice.facts().payment().paidAmount()).isEqualTo(new BigDecimal("6676.38"));
        assertThat(paid.facts().payment().discountAmount()).isEqualTo(new BigDecimal("0.0"));
        assertThat(paid.facts().payment().paidIn().ispb()).isEqualTo("32402502");
        assertThat(paid.facts().occurrence().reasons()).containsExactly("289");
        assertThat(paid.facts().payment().paymentCreditDate()).isEqualTo(LocalDate.parse("2023-01-10"));
    }

    @Test
    void writeOffReasonIsDecoded() {
        RecordBankSlipStatus c = single(Webhooks.read("bank-slip/written_off.json"));
        assertThat(c.writeOffReason().code()).isEqualTo("16");
        assertThat(c.writeOffReason().description()).isEqualTo("written off by the institution after the deadline");
        assertThat(c.writeOffReason().bankReasonName()).isEqualTo("Título Baixado pelo Banco por decurso de Prazo");
    }

    @Test
    void theThreeDateTimeFormatsAreRead() {
        assertThat(ProviderJson.instant("t", "2020-11-11 21:33:03")).isEqualTo("2020-11-12T00:33:03Z");
        assertThat(ProviderJson.instant("t", "2022-09-27T07:03:35")).isEqualTo("2022-09-27T10:03:35Z");
        assertThat(ProviderJson.instant("t", "2021-10-22T20:30:23.459Z")).isEqualTo("2021-10-22T20:30:23.459Z");
        assertThat(ProviderJson.instant("t", "2023-06-30T18:52:27.885731Z")).isEqualTo("2023-06-30T18:52:27.885731Z");
    }

    @Test
    void unknownFieldsAreIgnoredAndTrailingCommasTolerated() {
        RecordBankSlipStatus c = single(("{\"key\":\"k1\",\"status\":\"paid\",\"webhook_type\":\"bank_slip.status_change\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\",\"brand_new\":{\"x\":[1,2,]},\"data\":{\"paid_amount\":1.10,},}")
                .getBytes());
        assertThat(c.facts().payment().paidAmount()).isEqualTo(new BigDecimal("1.10"));
    }

    @Test
    void badInputBecomesAPreciseQuarantineReason() {
        assertThat(quarantineReason("")).isEqualTo("body is empty");
        assertThat(quarantineReason("[1,2]")).isEqualTo("body is JSON but not an object");
        assertThat(quarantineReason("{\"key\":\"k\"}")).isEqualTo("required field 'webhook_type' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"bank_slip.status_change\",\"status\":\"paid\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\"}"))
                .isEqualTo("required field 'key' (or 'data.bank_slip_key') is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"bank_slip.status_change\",\"key\":\"k\",\"status\":\"paid\"}"))
                .isEqualTo("required field 'event_datetime' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"bank_slip.status_change\",\"key\":\"k\",\"status\":\"paid\","
                + "\"event_datetime\":\"yesterday\"}")).isEqualTo("'event_datetime' is not a date-time: 'yesterday'");
        assertThat(quarantineReason("{\"webhook_type\":\"bank_slip.status_change\",\"key\":\"k\",\"status\":\"paid\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\",\"data\":{\"paid_amount\":\"lots\"}}"))
                .isEqualTo("'paid_amount' is not a number: 'lots'");
        assertThat(quarantineReason("{\"webhook_type\":\"bank_slip.status_change\",\"key\":\"k\",\"status\":\"paid\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\",\"data\":[]}")).isEqualTo("'data' should be an object, not ARRAY");
    }

    @Test
    void theWebhookEnvelopeIsUnwrapped() {
        RecordBankSlipStatus c = single(("{\"webhook\":{\"key\":\"k2\",\"status\":\"registered\",\"webhook_type\":"
                + "\"bank_slip.status_change\",\"event_datetime\":\"2023-01-10T14:08:46\"}}").getBytes());
        assertThat(c.bankSlipKey()).isEqualTo("k2");
    }
}
