package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.Webhooks;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.RecordCollateral;
import com.qiledger.command.messages.debt.RecordDebtCanceledPermanently;
import com.qiledger.command.messages.debt.RecordDebtCancellation;
import com.qiledger.command.messages.debt.RecordReservationFailure;
import com.qiledger.command.messages.debt.ReservationFailure;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.command.messages.debt.TransferAccount;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebtTranslatorTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String SEED_KEY = "<Debt Key>";
    final QiTechTranslator translator = new QiTechTranslator(List.of(new DebtTranslator()));

    static String fixture(String name) {
        return new String(Webhooks.read("debt/" + name), StandardCharsets.UTF_8);
    }

    LedgerCommand command(String body, String webhookType) {
        Translation t = translator.translate(body.getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(t).isInstanceOf(Translation.Commands.class);
        assertThat(t.webhookType()).isEqualTo(webhookType);
        List<LedgerCommand> commands = ((Translation.Commands) t).commands();
        assertThat(commands).hasSize(1);
        return commands.get(0);
    }

    String quarantineReason(String body) {
        Translation t = translator.translate(body.getBytes(StandardCharsets.UTF_8), NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        return ((Translation.Quarantine) t).reason();
    }

    static InvestmentFund seedFund(String susep, String certificate, String name) {
        return new InvestmentFund(susep, certificate, name, "32402502000135", "", "", new BigDecimal("500"));
    }

    @Test
    void theSeedCollateralAsPublishedIsNotJsonAndIsQuarantinedSayingSo() {
        byte[] body = Webhooks.read("debt/collateral_seed_invalid.json");
        Translation t = translator.translate(body, NOW);
        assertThat(t).isInstanceOf(Translation.Quarantine.class);
        assertThat(((Translation.Quarantine) t).reason())
                .startsWith("body is not JSON, even read leniently: ")
                .contains("Unexpected character (':'");
        assertThat(t.webhookType()).isNull();
    }

    @Test
    void theCorrectedSeedCollateralDiffersOnlyByTheDuplicatedNameAndReadsExactly() {
        assertThat(fixture("collateral_seed_invalid.json").replace("\"collateral_data\": \"collateral_data\": {",
                "\"collateral_data\": {")).isEqualTo(fixture("collateral.json"));

        var c = (RecordCollateral) command(fixture("collateral.json"), DebtTranslator.COLLATERAL);
        assertThat(c.debtKey()).isEqualTo(SEED_KEY);
        assertThat(c.aggregateId()).isEqualTo("Debt:<Debt Key>");
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2025-07-10T05:15:01Z"));
        assertThat(c.recordedAt()).isEqualTo(NOW);
        assertThat(c.collateral()).isEqualTo(new Collateral("private_pension", true, new BigDecimal("1500"), List.of(
                seedFund("111111111111", "12345678", "QI Fund Alpha"),
                seedFund("222222222222", "87654321", "QI Fund Beta"),
                seedFund("333333333333", "56781234", "QI Fund Gama"))));
    }

    @Test
    void theSeedFailedReservationWithItsTrailingComma() {
        var c = (RecordReservationFailure) command(fixture("failed_reservation.json"),
                DebtTranslator.FAILED_RESERVATION);
        assertThat(c.debtKey()).isEqualTo(SEED_KEY);
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2025-10-26T19:41:28Z"));
        assertThat(c.failure()).isEqualTo(new ReservationFailure("failed", "Fail enumerator.", "Descrição da falha."));
    }

    @Test
    void theSeedPermanentCancellation() {
        var c = (RecordDebtCanceledPermanently) command(fixture("canceled_permanently.json"), DebtTranslator.DEBT);
        assertThat(c.debtKey()).isEqualTo(SEED_KEY);
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2025-03-18T19:41:28Z"));
        assertThat(c.aggregateId()).isEqualTo("Debt:<Debt Key>");
    }

    @Test
    void theSeedTedRefusalWithEveryDetail() {
        var c = (RecordDebtCancellation) command(fixture("canceled_ted_refusal.json"), DebtTranslator.DEBT);
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2025-03-18T19:41:28Z"));
        assertThat(c.refusal()).isEqualTo(DisbursementRefusal.ted(new TedRefusal(
                "16faabfc-3876-437d-a4f6-aae17a1d68c9",
                "341 0000 000000-7 12345678900 - NOME DO EMPREGADO",
                new TransferAccount("a1d2dea5-fa90-4676-a125-da355fdc3ed0", "329", "0001", null, "00086", "8",
                        "payment_account", "ACCOUNT TRANSITORY", "32402502000135", null),
                new TransferAccount(null, "341", "0000", null, "000000", "7", "checking_account",
                        "NOME DO EMPREGADO", "12345678900", "Crédito em Conta"),
                new BigDecimal("483.6"),
                new BigDecimal("0"),
                "agencia_conta_invalida",
                "Agência ou Conta Destinatária do Crédito Inválida",
                Instant.parse("2022-11-07T17:36:05Z"))));
    }

    @Test
    void theSeedPixRefusal() {
        var c = (RecordDebtCancellation) command(fixture("canceled_pix_refusal.json"), DebtTranslator.DEBT);
        assertThat(c.refusal()).isEqualTo(DisbursementRefusal.pix(new PixRefusal("invalid_document_number",
                "CPF/CNPJ do usuário recebedor não é compatível com o titular da conta de destino.")));
    }

    @Test
    void aCollateralWhoseFundsDoNotAddUpIsTranslatedAsSent() {
        var c = (RecordCollateral) command(fixture("collateral.json")
                .replace("\"total_gross_amount_lock\": 1500", "\"total_gross_amount_lock\": \"1600.00\""),
                DebtTranslator.COLLATERAL);
        assertThat(c.collateral().totalGrossAmountLock()).isEqualTo(new BigDecimal("1600.00"));
        assertThat(c.collateral().investmentFunds()).hasSize(3);
    }

    @Test
    void amountsAsStringsKeepTheirScaleAndUnknownFieldsAreIgnored() {
        var c = (RecordCollateral) command("""
                {"webhook": {"key": " k-1 ", "event_datetime": "2025-07-10T02:15:01",
                 "webhook_type": "credit_operation.collateral", "brand_new": [1, 2,],
                 "data": {"collateral_type": "private_pension", "collateral_constituted": "false",
                  "collateral_data": {"total_gross_amount_lock": "10.50", "extra": {"x": 1},
                   "investment_funds": [{"lock_gross_amount": 10.50, "class": "A", "new_field": true}]}}}}
                """, DebtTranslator.COLLATERAL);
        assertThat(c.debtKey()).isEqualTo("k-1");
        assertThat(c.occurredAt()).isEqualTo(Instant.parse("2025-07-10T05:15:01Z"));
        assertThat(c.collateral().constituted()).isFalse();
        assertThat(c.collateral().totalGrossAmountLock()).isEqualTo(new BigDecimal("10.50"));
        InvestmentFund fund = c.collateral().investmentFunds().get(0);
        assertThat(fund.lockGrossAmount()).isEqualTo(new BigDecimal("10.50"));
        assertThat(fund.fundClass()).isEqualTo("A");
        assertThat(fund.documentNumber()).isNull();
    }

    @Test
    void anUnknownDebtStatusIsRefusedByName() {
        assertThat(quarantineReason(fixture("canceled_permanently.json")
                .replace("\"canceled_permanently\"", "\"disbursed\"")))
                .isEqualTo("unknown debt status 'disbursed' (known: canceled, canceled_permanently)");
        assertThat(quarantineReason(fixture("canceled_permanently.json")
                .replace("\"status\": \"canceled_permanently\",", "")))
                .isEqualTo("required field 'status' is missing");
    }

    @Test
    void aTedRefusalWithoutItsDetailsIsRefused() {
        String withoutDetails = """
                {"key": "k", "status": "canceled", "webhook_type": "debt", "event_datetime": "2025-03-18 16:41:28",
                 "data": {"cancel_reason": "ted_refusal"}}
                """;
        assertThat(quarantineReason(withoutDetails))
                .isEqualTo("data.ted_refusal is missing: cancel_reason 'ted_refusal' needs its details");
        assertThat(quarantineReason(withoutDetails.replace("}}", ", \"ted_refusal\": null}}")))
                .isEqualTo("data.ted_refusal is missing: cancel_reason 'ted_refusal' needs its details");
        assertThat(quarantineReason(withoutDetails.replace("}}", ", \"ted_refusal\": \"refused\"}}")))
                .isEqualTo("'data.ted_refusal' should be an object, not STRING");
        // the pix details do not stand in for the ted ones
        assertThat(quarantineReason(fixture("canceled_pix_refusal.json")
                .replace("\"cancel_reason\": \"pix_refusal\"", "\"cancel_reason\": \"ted_refusal\"")))
                .isEqualTo("data.ted_refusal is missing: cancel_reason 'ted_refusal' needs its details");
        assertThat(quarantineReason(fixture("canceled_ted_refusal.json")
                .replace("\"cancel_reason\": \"ted_refusal\"", "\"cancel_reason\": \"pix_refusal\"")))
                .isEqualTo("data.pix_refusal is missing: cancel_reason 'pix_refusal' needs its details");
    }

    @Test
    void anUnknownOrMissingCancelReasonIsRefused() {
        assertThat(quarantineReason(fixture("canceled_pix_refusal.json")
                .replace("\"cancel_reason\": \"pix_refusal\"", "\"cancel_reason\": \"boleto_refusal\"")))
                .isEqualTo("unknown cancel_reason 'boleto_refusal' (known: ted_refusal, pix_refusal)");
        assertThat(quarantineReason(fixture("canceled_pix_refusal.json")
                .replace("\"cancel_reason\": \"pix_refusal\",", "")))
                .isEqualTo("data: required field 'cancel_reason' of a canceled debt is missing");
        assertThat(quarantineReason(fixture("canceled_permanently.json")
                .replace("canceled_permanently", "canceled")))
                .isEqualTo("data: required field 'cancel_reason' of a canceled debt is missing");
    }

    @Test
    void aMissingKeyIsRefusedForEveryDebtWebhook() {
        for (String name : List.of("collateral.json", "failed_reservation.json", "canceled_permanently.json",
                "canceled_ted_refusal.json", "canceled_pix_refusal.json")) {
            assertThat(quarantineReason(fixture(name).replace("\"key\": \"<Debt Key>\",", "")))
                    .as(name).isEqualTo("required field 'key' (the debt key) is missing");
        }
    }

    @Test
    void aMissingTimeIsRefused() {
        assertThat(quarantineReason(fixture("collateral.json").replace("\"event_time\": \"2025-07-10 02:15:01\",", "")))
                .isEqualTo("required field 'event_time' is missing");
        assertThat(quarantineReason(fixture("failed_reservation.json")
                .replace("\"event_datetime\": \"2025-10-26 16:41:28\",", "")))
                .isEqualTo("required field 'event_datetime' is missing");
        assertThat(quarantineReason(fixture("canceled_permanently.json")
                .replace("2025-03-18 16:41:28", "yesterday")))
                .isEqualTo("'event_datetime' is not a date-time: 'yesterday'");
    }

    @Test
    void collateralReasonsSayWhere() {
        assertThat(quarantineReason(fixture("collateral.json").replaceFirst("\"lock_gross_amount\": 500,", "")))
                .isEqualTo("data.collateral_data.investment_funds[0]: required field 'lock_gross_amount' is missing");
        assertThat(quarantineReason(fixture("collateral.json").replace("\"total_gross_amount_lock\": 1500,", "")))
                .isEqualTo("data.collateral_data: required field 'total_gross_amount_lock' is missing");
        assertThat(quarantineReason(fixture("collateral.json").replace("\"lock_gross_amount\": 500,\n}\n]",
                "\"lock_gross_amount\": \"five hundred\",\n}\n]")))
                .isEqualTo("data.collateral_data.investment_funds[2]: 'lock_gross_amount' is not a number: "
                        + "'five hundred'");
        assertThat(quarantineReason(fixture("collateral_seed_invalid.json")
                .replace("\"collateral_data\": \"collateral_data\": {", "\"collateral_data\": \"collateral_data\", \"x\": {")))
                .isEqualTo("data: 'collateral_data' should be an object, not STRING");
        assertThat(quarantineReason("{\"webhook\": {\"key\": \"k\", \"event_time\": \"2025-07-10 02:15:01\","
                + "\"webhook_type\": \"credit_operation.collateral\", \"data\": {\"collateral_type\": \"x\"}}}"))
                .isEqualTo("data: required field 'collateral_data' is missing");
        assertThat(quarantineReason("{\"webhook\": {\"key\": \"k\", \"event_time\": \"2025-07-10 02:15:01\","
                + "\"webhook_type\": \"credit_operation.collateral\", \"data\": {\"collateral_data\":"
                + " {\"total_gross_amount_lock\": 1, \"investment_funds\": {}}}}}"))
                .isEqualTo("data.collateral_data: 'investment_funds' should be an array, not OBJECT");
    }

    @Test
    void reasonsNeverQuoteDocumentNumbers() {
        String reason = quarantineReason(fixture("canceled_ted_refusal.json").replace("\"amount\": 483.6",
                "\"amount\": \"lots\""));
        assertThat(reason).isEqualTo("data.ted_refusal: 'amount' is not a number: 'lots'");
        assertThat(reason).doesNotContain("12345678900").doesNotContain("32402502000135");
        // a place inside a place is one path
        assertThat(quarantineReason(fixture("canceled_ted_refusal.json").replace("\"bank_code\": \"329\"",
                "\"bank_code\": [329]")))
                .isEqualTo("data.ted_refusal.origin: 'bank_code' should be a single value, not ARRAY");
    }
}
