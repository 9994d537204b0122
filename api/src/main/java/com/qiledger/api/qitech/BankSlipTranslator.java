package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.date;
import static com.qiledger.api.qitech.ProviderJson.decimal;
import static com.qiledger.api.qitech.ProviderJson.object;
import static com.qiledger.api.qitech.ProviderJson.text;
import static com.qiledger.api.qitech.ProviderJson.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.PaidIn;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import com.qiledger.command.messages.bankslip.SlipOccurrence;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import java.time.Instant;
import com.qiledger.command.messages.common.LedgerCommand;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@code bank_slip.status_change} (seed 000) into {@link RecordBankSlipStatus}. */
@Component
public class BankSlipTranslator implements FamilyTranslator {

    public static final String WEBHOOK_TYPE = "bank_slip.status_change";

    @Override
    public Set<String> webhookTypes() {
        return Set.of(WEBHOOK_TYPE);
    }

    @Override
    public List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt) {
        JsonNode data = object(webhook, "data");
        String key = text(webhook, "key");
        if (key == null || key.isBlank()) {
            key = text(data, "bank_slip_key");
        }
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'key' (or 'data.bank_slip_key') is missing");
        }
        String statusName = ProviderJson.requiredText(webhook, "status");
        BankSlipStatus status = BankSlipStatus.fromProvider(statusName.strip())
                .orElseThrow(() -> new ProviderDataException("unknown bank slip status '" + statusName + "'"));
        Instant occurredAt = ProviderJson.instant(webhook, "event_datetime");
        if (occurredAt == null) {
            throw new ProviderDataException("required field 'event_datetime' is missing");
        }
        JsonNode reason = object(webhook, "occurrence_reason");
        String bankReasonCode = text(reason, "bank_reason_code");
        String bankReasonName = text(reason, "bank_reason_name");

        SlipOccurrence occurrence = new SlipOccurrence(
                text(data, "occurrence_type"),
                text(data, "occurrence_feedback"),
                text(data, "occurrence_sequence"),
                texts(data, "occurrence_reasons"),
                texts(data, "glados_occurrence_reasons"),
                text(data, "requester_profile_code"),
                text(data, "registration_institution"),
                text(data, "cnab_file_occurrence_order"),
                date(data, "registration_institution_occurrence_date"),
                bankReasonCode,
                bankReasonName);
        BankSlipFacts facts = new BankSlipFacts(
                text(data, "our_number"),
                date(data, "expiration"),
                decimal(data, "rebate_amount"),
                occurrence,
                payment(data));
        WriteOffReason writeOff = status == BankSlipStatus.WRITTEN_OFF
                ? WriteOffReason.decode(bankReasonCode, bankReasonName)
                : null;
        return List.of(new RecordBankSlipStatus(key.strip(), status, occurredAt, recordedAt, facts, writeOff));
    }

    /** Payment details, when the webhook carries any. */
    private static SlipPayment payment(JsonNode data) {
        if (data == null || !(data.has("paid_amount") || data.has("payment_bank") || data.has("payment_origin"))) {
            return null;
        }
        JsonNode paidIn = object(data, "paid_in");
        return new SlipPayment(
                decimal(data, "paid_amount"),
                decimal(data, "discount_amount"),
                decimal(data, "paid_interest_amount"),
                text(data, "payment_bank"),
                text(data, "payment_bank_ispb"),
                text(data, "payment_branch"),
                text(data, "payment_account"),
                text(data, "payment_method"),
                PaymentOrigin.decode(text(data, "payment_origin")),
                paidIn == null ? null : new PaidIn(text(paidIn, "name"), text(paidIn, "code_number"),
                        text(paidIn, "ispb")),
                date(data, "payment_credit_date"),
                text(data, "origin_type"),
                text(data, "agent_type"),
                text(data, "selected_user_agent"));
    }
}
