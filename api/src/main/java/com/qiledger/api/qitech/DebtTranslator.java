package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.at;
import static com.qiledger.api.qitech.ProviderJson.bool;
import static com.qiledger.api.qitech.ProviderJson.decimal;
import static com.qiledger.api.qitech.ProviderJson.instant;
import static com.qiledger.api.qitech.ProviderJson.object;
import static com.qiledger.api.qitech.ProviderJson.objects;
import static com.qiledger.api.qitech.ProviderJson.present;
import static com.qiledger.api.qitech.ProviderJson.text;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The debt and private-pension collateral webhooks (seed 004) into commands on the {@code Debt}
 * aggregate, keyed by the top-level {@code key} (the debt key, taken as sent: the documentation's
 * examples literally say {@code <Debt Key>}):
 * <ul>
 *   <li>{@code credit_operation.collateral} (arrives inside the {@code {"webhook": {...}}} envelope,
 *       which {@link QiTechTranslator} removes; time in {@code event_time}) into
 *       {@link RecordCollateral}: {@code data.collateral_data.total_gross_amount_lock} and every fund's
 *       {@code lock_gross_amount} are required exact amounts. Whether they add up is the aggregate's
 *       data-quality check, never a reason to refuse here;</li>
 *   <li>{@code private_pension_failed_reservation} into {@link RecordReservationFailure}
 *       (top-level {@code status}, {@code data.enumerator}, {@code data.description});</li>
 *   <li>{@code debt} with status {@code canceled} into {@link RecordDebtCancellation}: its
 *       {@code data.cancel_reason} must be {@code ted_refusal} or {@code pix_refusal} and the object
 *       of that name must be there; with status {@code canceled_permanently} into
 *       {@link RecordDebtCanceledPermanently}. Any other status is refused by name.</li>
 * </ul>
 * The provider time is {@code event_time} or {@code event_datetime}, whichever the webhook carries
 * (the documentation uses one name per webhook, and names drift). Everything refused becomes a
 * {@link ProviderDataException} whose message names the field, so the delivery is quarantined with a
 * precise reason. Reasons never quote document numbers or names.
 */
@Component
public class DebtTranslator implements FamilyTranslator {

    public static final String COLLATERAL = "credit_operation.collateral";
    public static final String FAILED_RESERVATION = "private_pension_failed_reservation";
    public static final String DEBT = "debt";

    static final String CANCELED = "canceled";
    static final String CANCELED_PERMANENTLY = "canceled_permanently";

    @Override
    public Set<String> webhookTypes() {
        return Set.of(COLLATERAL, FAILED_RESERVATION, DEBT);
    }

    @Override
    public List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt) {
        String type = text(webhook, "webhook_type");
        String key = text(webhook, "key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'key' (the debt key) is missing");
        }
        key = key.strip();
        Instant occurredAt = occurredAt(webhook, COLLATERAL.equals(type) ? "event_time" : "event_datetime");
        LedgerCommand command = switch (type == null ? "" : type) {
            case COLLATERAL -> new RecordCollateral(key, occurredAt, recordedAt, collateral(webhook));
            case FAILED_RESERVATION -> new RecordReservationFailure(key, occurredAt, recordedAt, failure(webhook));
            case DEBT -> debt(webhook, key, occurredAt, recordedAt);
            default -> throw new ProviderDataException("webhook_type '" + type + "' is not a debt webhook");
        };
        return List.of(command);
    }

    /** The documented time field first, then the other spelling. */
    private static Instant occurredAt(JsonNode webhook, String documented) {
        Instant at = instant(webhook, documented);
        if (at == null) {
            at = instant(webhook, documented.equals("event_time") ? "event_datetime" : "event_time");
        }
        if (at == null) {
            throw new ProviderDataException("required field '" + documented + "' is missing");
        }
        return at;
    }

    private static Collateral collateral(JsonNode webhook) {
        JsonNode data = required(object(webhook, "data"), "data");
        JsonNode collateralData = at("data", () -> required(object(data, "collateral_data"), "collateral_data"));
        BigDecimal total = at("data.collateral_data", () -> required(decimal(collateralData,
                "total_gross_amount_lock"), "total_gross_amount_lock"));
        List<InvestmentFund> funds = at("data.collateral_data", () -> required(objects(collateralData,
                "investment_funds", DebtTranslator::fund), "investment_funds"));
        return new Collateral(
                at("data", () -> text(data, "collateral_type")),
                at("data", () -> bool(data, "collateral_constituted")),
                total,
                funds);
    }

    /** A value the provider must send: absent or null is a data error naming the field. */
    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new ProviderDataException("required field '" + field + "' is missing");
        }
        return value;
    }

    private static InvestmentFund fund(JsonNode fund) {
        BigDecimal lock = required(decimal(fund, "lock_gross_amount"), "lock_gross_amount");
        return new InvestmentFund(
                text(fund, "susep_process_number"),
                text(fund, "certificate"),
                text(fund, "name"),
                text(fund, "document_number"),
                text(fund, "class"),
                text(fund, "subclass"),
                lock);
    }

    private static ReservationFailure failure(JsonNode webhook) {
        JsonNode data = object(webhook, "data");
        return new ReservationFailure(
                text(webhook, "status"),
                at("data", () -> text(data, "enumerator")),
                at("data", () -> text(data, "description")));
    }

    private static LedgerCommand debt(JsonNode webhook, String key, Instant occurredAt, Instant recordedAt) {
        String status = text(webhook, "status");
        if (status == null || status.isBlank()) {
            throw new ProviderDataException("required field 'status' is missing");
        }
        return switch (status.strip()) {
            case CANCELED_PERMANENTLY -> new RecordDebtCanceledPermanently(key, occurredAt, recordedAt);
            case CANCELED -> new RecordDebtCancellation(key, occurredAt, recordedAt, refusal(webhook));
            default -> throw new ProviderDataException("unknown debt status '" + status
                    + "' (known: canceled, canceled_permanently)");
        };
    }

    private static DisbursementRefusal refusal(JsonNode webhook) {
        JsonNode data = required(object(webhook, "data"), "data");
        String reason = at("data", () -> {
            String named = text(data, "cancel_reason");
            if (named == null || named.isBlank()) {
                throw new ProviderDataException("required field 'cancel_reason' of a canceled debt is missing");
            }
            return named.strip();
        });
        if (!reason.equals(DisbursementRefusal.TED) && !reason.equals(DisbursementRefusal.PIX)) {
            throw new ProviderDataException("unknown cancel_reason '" + reason + "' (known: "
                    + DisbursementRefusal.TED + ", " + DisbursementRefusal.PIX + ")");
        }
        JsonNode details = data.get(reason);
        if (!present(details)) {
            throw new ProviderDataException("data." + reason + " is missing: cancel_reason '" + reason
                    + "' needs its details");
        }
        if (!details.isObject()) {
            throw new ProviderDataException("'data." + reason + "' should be an object, not " + details.getNodeType());
        }
        String where = "data." + reason;
        return reason.equals(DisbursementRefusal.TED)
                ? DisbursementRefusal.ted(at(where, () -> ted(details)))
                : DisbursementRefusal.pix(at(where, () -> new PixRefusal(text(details, "reason_enumerator"),
                        text(details, "reason"))));
    }

    private static TedRefusal ted(JsonNode ted) {
        return new TedRefusal(
                text(ted, "transaction_key"),
                text(ted, "description"),
                account(ted, "origin"),
                account(ted, "destination"),
                decimal(ted, "amount"),
                decimal(ted, "fee"),
                text(ted, "reason_enumerator"),
                text(ted, "reason"),
                instant(ted, "timestamp"));
    }

    private static TransferAccount account(JsonNode ted, String side) {
        JsonNode account = object(ted, side);
        if (account == null) {
            return null;
        }
        return at(side, () -> new TransferAccount(
                text(account, "account_key"),
                text(account, "bank_code"),
                text(account, "branch"),
                text(account, "branch_digit"),
                text(account, "account_number"),
                text(account, "account_digit"),
                text(account, "type"),
                text(account, "name"),
                text(account, "document") != null ? text(account, "document") : text(account, "document_number"),
                text(account, "purpose")));
    }
}
