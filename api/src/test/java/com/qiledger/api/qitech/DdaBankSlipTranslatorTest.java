package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.Webhooks;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDiscount;
import com.qiledger.command.messages.dda.DdaFine;
import com.qiledger.command.messages.dda.DdaInterest;
import com.qiledger.command.messages.dda.DdaParty;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DdaBankSlipTranslatorTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String KEY = "7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2";
    static final String REGISTRATION = "baas.dda.bankslip.registration";
    static final String UPDATE = "baas.dda.bankslip.update";
    static final DdaBeneficiary BENEFICIARY = new DdaBeneficiary("Tech Solutions Ltda.", "123", "12345678", "legal",
            "12345678000100");
    static final DdaParty PAYER = new DdaParty("João Carlos", "natural", "12345678900");
    static final DdaParty GUARANTOR = new DdaParty("Maria Junior", "natural", "03903984900");

    final QiTechTranslator translator = new QiTechTranslator(List.of(new DdaBankSlipTranslator()));

    RecordDdaBankSlipSnapshot command(byte[] body, String type) {
        Translation t = translator.translate(body, NOW);
        assertThat(t).isInstanceOf(Translation.Commands.class);
        assertThat(t.webhookType()).isEqualTo(type);
        List<?> commands = ((Translation.Commands) t).commands();
        assertThat(commands).hasSize(1);
        return (RecordDdaBankSlipSnapshot) commands.get(0);
    }

    RecordDdaBankSlipSnapshot command(String body) {
        return command(body.getBytes(StandardCharsets.UTF_8), UPDATE);
    }

    String quarantineReason(String body) {
        Translation t = translator.translate(body.getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        return ((Translation.Quarantine) t).reason();
    }

    /** An update of the seed's slip whose {@code data} members are these. */
    static String withData(String members) {
        return "{\"webhook_type\":\"" + UPDATE + "\",\"key\":\"" + KEY + "\",\"data\":{" + members + "}}";
    }

    @Test
    void theSeedRegistrationKeepsEveryField() {
        RecordDdaBankSlipSnapshot c = command(Webhooks.read("dda-bank-slip/registration.json"), REGISTRATION);
        assertThat(c.slipKey()).isEqualTo(KEY);
        assertThat(c.aggregateId()).isEqualTo("DdaBankSlip:" + KEY);
        assertThat(c.webhookType()).isEqualTo(REGISTRATION);
        assertThat(c.isRegistration()).isTrue();
        assertThat(c.recordedAt()).isEqualTo(NOW);
        assertThat(c.snapshot()).isEqualTo(new DdaBankSlipSnapshot(
                "00193000000001000000500000001234567890123456",
                "00193000000001000000500000001234567890123456123",
                DdaBankSlipStatus.REGISTERED,
                new BigDecimal("1050"), new BigDecimal("999"), null, null, null, null,
                true, LocalDate.parse("2024-07-19"), LocalDate.parse("2024-09-02"),
                BENEFICIARY, PAYER, GUARANTOR, new BigDecimal("30.00"),
                List.of(new DdaInterest("workdays_daily_amount", LocalDate.parse("2024-07-21"),
                        new BigDecimal("10.00"))),
                List.of(new DdaFine(LocalDate.parse("2024-07-29"), "absolute", new BigDecimal("100.00"))),
                List.of(new DdaDiscount(LocalDate.parse("2024-07-05"), "absolute", new BigDecimal("50.00"))),
                List.of(), "01"));
        // record equality compares BigDecimal scale too; say it outright for the amounts sent with cents
        assertThat(c.snapshot().rebateAmount().scale()).isEqualTo(2);
        assertThat(c.snapshot().interest().get(0).interestAmount().toString()).isEqualTo("10.00");
        // the documented registration may carry personal data; the records' text never shows it
        assertThat(c.toString()).doesNotContain("12345678900", "03903984900", "12345678000100", "João");
    }

    @Test
    void theSeedUpdateKeepsEveryField() {
        RecordDdaBankSlipSnapshot c = command(Webhooks.read("dda-bank-slip/update.json"), UPDATE);
        assertThat(c.slipKey()).isEqualTo(KEY);
        assertThat(c.isRegistration()).isFalse();
        assertThat(c.snapshot()).isEqualTo(new DdaBankSlipSnapshot(
                "00193000000001000000500000001234567890123457",
                "00193000000001000000500000001234567890123456123",
                DdaBankSlipStatus.PAID,
                new BigDecimal("1050"), new BigDecimal("1200"), new BigDecimal("1200"), new BigDecimal("150"),
                new BigDecimal("50"), new BigDecimal("0"),
                false, LocalDate.parse("2024-05-30"), LocalDate.parse("2024-07-01"),
                BENEFICIARY, PAYER, GUARANTOR, new BigDecimal("30.00"),
                List.of(new DdaInterest("workdays_daily_amount", LocalDate.parse("2024-05-21"),
                        new BigDecimal("10.00"))),
                List.of(new DdaFine(LocalDate.parse("2024-05-29"), "absolute", new BigDecimal("100.00"))),
                List.of(new DdaDiscount(LocalDate.parse("2024-05-05"), "absolute", new BigDecimal("50.00"))),
                List.of(), "01"));
    }

    @Test
    void onlyKeyDataAndStatusAreRequired() {
        DdaBankSlipSnapshot s = command(withData("\"status\":\" partially_paid \"")).snapshot();
        assertThat(s.status()).isEqualTo(DdaBankSlipStatus.PARTIALLY_PAID);
        assertThat(s).isEqualTo(new DdaBankSlipSnapshot(null, null, DdaBankSlipStatus.PARTIALLY_PAID, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(command(withData("\"status\":\"written_off\",\"payer\":null,\"interest\":null,"
                + "\"total_payment_amount\":null")).snapshot().payer()).isNull();
    }

    @Test
    void valuesAreReadTolerantly() {
        DdaBankSlipSnapshot s = command(withData("\"status\":\"paid\",\"total_payment_amount\":\"1200.50\","
                + "\"nominal_amount\":1.0E3,\"partial_payment_allowed\":\"false\",\"barcode\":12345,"
                + "\"beneficiary\":{\"bank_code\":123,\"bank_ispb\":\"12345678\",\"new_field\":[1]},"
                + "\"interest\":[{\"interest_amount\":\"10.5\",\"interest_billing_start_date\":\"2024-07-21T00:00:00\"}],"
                + "\"brand_new\":{\"x\":1},")).snapshot();
        assertThat(s.totalPaymentAmount()).isEqualTo(new BigDecimal("1200.50"));
        assertThat(s.nominalAmount()).isEqualByComparingTo("1000");
        assertThat(s.partialPaymentAllowed()).isFalse();
        assertThat(s.barcode()).isEqualTo("12345");
        assertThat(s.beneficiary()).isEqualTo(new DdaBeneficiary(null, "123", "12345678", null, null));
        assertThat(s.interest()).containsExactly(new DdaInterest(null, LocalDate.parse("2024-07-21"),
                new BigDecimal("10.5")));
    }

    @Test
    void calculationsAreKeptAsFlatTextMaps() {
        DdaBankSlipSnapshot s = command(withData("\"status\":\"registered\",\"calculations\":["
                + "{\"due_date\":\"2024-07-19\",\"total_amount\":1020.50,\"count\":2,\"fee\":null,"
                + "\"amounts\":{\"fine\":10.00,\"tags\":[\"a\",true]},\"empty\":{},\"none\":[]},{}]")).snapshot();
        Map<String, String> first = new HashMap<>();
        first.put("due_date", "2024-07-19");
        first.put("total_amount", "1020.50");
        first.put("count", "2");
        first.put("fee", null);
        first.put("amounts.fine", "10.00");
        first.put("amounts.tags[0]", "a");
        first.put("amounts.tags[1]", "true");
        first.put("empty", "{}");
        first.put("none", "[]");
        assertThat(s.calculations()).containsExactly(first, Map.of());
    }

    @Test
    void aMalformedBarcodeIsReadNotRefused() {
        // flagging is the aggregate's business; the translator keeps what was sent
        DdaBankSlipSnapshot s = command(withData("\"status\":\"registered\",\"barcode\":\"0019-3\","
                + "\"digitable_line\":\"00190.00009 01234.567890\"")).snapshot();
        assertThat(s.barcode()).isEqualTo("0019-3");
        assertThat(s.digitableLine()).isEqualTo("00190.00009 01234.567890");
    }

    @Test
    void aMissingKeyDataOrStatusQuarantines() {
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"data\":{\"status\":\"paid\"}}"))
                .isEqualTo("required field 'key' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"key\":\" \",\"data\":{\"status\":\"paid\"}}"))
                .isEqualTo("required field 'key' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"key\":\"" + KEY + "\"}"))
                .isEqualTo("required field 'data' is missing");
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"key\":\"" + KEY + "\",\"data\":null}"))
                .isEqualTo("required field 'data' is missing");
        assertThat(quarantineReason(withData("\"barcode\":\"1\""))).isEqualTo("required field 'data.status' is missing");
        assertThat(quarantineReason(withData("\"status\":\"\""))).isEqualTo("required field 'data.status' is missing");
    }

    @Test
    void anUnknownStatusQuarantinesNamingTheValue() {
        assertThat(quarantineReason(withData("\"status\":\"exploded\"")))
                .isEqualTo("unknown DDA bank slip status 'exploded' in 'data.status'");
        assertThat(quarantineReason(withData("\"status\":\"PAID\"")))
                .isEqualTo("unknown DDA bank slip status 'PAID' in 'data.status'");
    }

    @Test
    void wrongTypesQuarantineWithTheFieldPath() {
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"key\":{\"id\":1},\"data\":{}}"))
                .isEqualTo("'key' should be a single value, not OBJECT");
        assertThat(quarantineReason("{\"webhook_type\":\"" + UPDATE + "\",\"key\":\"k\",\"data\":[1]}"))
                .isEqualTo("'data' should be an object, not ARRAY");
        assertThat(quarantineReason(withData("\"status\":[\"paid\"]")))
                .isEqualTo("data: 'status' should be a single value, not ARRAY");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"interest\":{\"interest_amount\":1}")))
                .isEqualTo("data: 'interest' should be an array, not OBJECT");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"calculations\":\"none\"")))
                .isEqualTo("data: 'calculations' should be an array, not STRING");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"fine\":[{},\"10\"]")))
                .isEqualTo("data.fine[1]: should be an object, not STRING");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"interest\":[{\"interest_amount\":\"ten\"}]")))
                .isEqualTo("data.interest[0]: 'interest_amount' is not a number: 'ten'");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"discounts\":[{\"discount_limit_date\":\"05/07\"}]")))
                .isEqualTo("data.discounts[0]: 'discount_limit_date' is not a date: '05/07'");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"payer\":[\"x\"]")))
                .isEqualTo("data: 'payer' should be an object, not ARRAY");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"guarantor\":{\"document_number\":{\"n\":1}}")))
                .isEqualTo("data.guarantor: 'document_number' should be a single value, not OBJECT");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"total_amount\":\"1.200,00\"")))
                .isEqualTo("data: 'total_amount' is not a number: '1.200,00'");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"partial_payment_allowed\":\"maybe\"")))
                .isEqualTo("data: 'partial_payment_allowed' is not a boolean: 'maybe'");
        assertThat(quarantineReason(withData("\"status\":\"paid\",\"expiration\":\"soon\"")))
                .isEqualTo("data: 'expiration' is not a date: 'soon'");
    }

    @Test
    void reasonsNeverCarryPersonalData() {
        String reason = quarantineReason(withData("\"status\":\"nope\",\"payer\":{\"name\":\"João Carlos\","
                + "\"document_number\":\"12345678900\"}"));
        assertThat(reason).doesNotContain("12345678900", "João");
    }
}
