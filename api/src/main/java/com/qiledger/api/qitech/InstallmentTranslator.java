package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.asObject;
import static com.qiledger.api.qitech.ProviderJson.at;
import static com.qiledger.api.qitech.ProviderJson.bool;
import static com.qiledger.api.qitech.ProviderJson.date;
import static com.qiledger.api.qitech.ProviderJson.decimal;
import static com.qiledger.api.qitech.ProviderJson.instant;
import static com.qiledger.api.qitech.ProviderJson.object;
import static com.qiledger.api.qitech.ProviderJson.objects;
import static com.qiledger.api.qitech.ProviderJson.present;
import static com.qiledger.api.qitech.ProviderJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.command.messages.installment.RecordInstallmentBilling;
import com.qiledger.command.messages.installment.RecordInstallmentStatusChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * {@code installment.status_change} (seed 002), in its two shapes. The top-level {@code key} is the
 * credit operation's DEBT key in both: it links each installment to its debt.
 * <ul>
 *   <li>A status change ({@code data.status} one of the eight {@link InstallmentStatus} values,
 *       {@code data.installment}) becomes one {@link RecordInstallmentStatusChange}. Its provider time
 *       is the latest of the dates it carries (see {@link InstallmentStatusReport#latestProviderTime()}).
 *       {@code data.status} and {@code installment_status.enumerator} are both kept; a value outside
 *       the eight is refused with the value named.</li>
 *   <li>A billing update ({@code data.status = "update"}, {@code data.installments}) becomes one
 *       {@link RecordInstallmentBilling} per element; the webhook carries no time. One unreadable
 *       element quarantines the whole delivery, with its index in the reason, so that a webhook is
 *       never half recorded.</li>
 * </ul>
 * Enumerator objects ({@code {"enumerator": "pix", "translation_path": ...}}) are read for their
 * {@code enumerator}; a bare string in their place is read as the enumerator itself.
 */
@Component
public class InstallmentTranslator implements FamilyTranslator {

    public static final String WEBHOOK_TYPE = "installment.status_change";
    static final String UPDATE = "update";

    @Override
    public Set<String> webhookTypes() {
        return Set.of(WEBHOOK_TYPE);
    }

    @Override
    public List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt) {
        String debtKey = text(webhook, "key");
        if (debtKey == null || debtKey.isBlank()) {
            throw new ProviderDataException("required field 'key' (the debt key) is missing");
        }
        JsonNode data = object(webhook, "data");
        if (data == null) {
            throw new ProviderDataException("required field 'data' is missing");
        }
        String status = text(data, "status");
        if (status == null || status.isBlank()) {
            throw new ProviderDataException("required field 'data.status' is missing");
        }
        if (UPDATE.equals(status.strip())) {
            return billings(data, debtKey.strip(), recordedAt);
        }
        return List.of(statusChange(data, status.strip(), debtKey.strip(), recordedAt));
    }

    private static RecordInstallmentStatusChange statusChange(JsonNode data, String statusName, String debtKey,
                                                              Instant recordedAt) {
        InstallmentStatus dataStatus = status(statusName, "data.status");
        JsonNode installment = at("data", () -> object(data, "installment"));
        if (installment == null) {
            throw new ProviderDataException("required field 'data.installment' is missing");
        }
        Boolean finished = at("data", () -> bool(data, "is_finished"));
        return at("data.installment", () -> {
            String key = text(installment, "installment_key");
            if (key == null || key.isBlank()) {
                throw new ProviderDataException("required field 'installment_key' is missing");
            }
            String installmentStatus = enumerator(installment, "installment_status");
            InstallmentStatusReport report = new InstallmentStatusReport(
                    installmentStatus == null ? dataStatus
                            : status(installmentStatus, "installment_status.enumerator"),
                    dataStatus,
                    finished,
                    date(installment, "due_date"),
                    instant(installment, "paid_at"),
                    list(installment, "events", InstallmentTranslator::occurrence),
                    list(installment, "installment_payment", InstallmentTranslator::payment));
            return new RecordInstallmentStatusChange(key.strip(), debtKey, recordedAt, report);
        });
    }

    private static InstallmentOccurrence occurrence(JsonNode event) {
        return new InstallmentOccurrence(
                enumerator(event, "installment_event_type"),
                instant(event, "event_date"),
                decimal(event, "amount"),
                instant(event, "created_at"),
                enumerator(event, "installment_old_status"),
                date(event, "old_due_date"));
    }

    private static InstallmentPayment payment(JsonNode payment) {
        String key = text(payment, "installment_payment_key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'installment_payment_key' is missing");
        }
        return new InstallmentPayment(key.strip(), instant(payment, "paid_at"), decimal(payment, "paid_amount"),
                enumerator(payment, "paid_method_type"));
    }

    private static List<LedgerCommand> billings(JsonNode data, String debtKey, Instant recordedAt) {
        JsonNode installments = data.get("installments");
        if (!present(installments)) {
            throw new ProviderDataException("required field 'data.installments' is missing");
        }
        if (!installments.isArray()) {
            throw new ProviderDataException("'data.installments' should be an array, not "
                    + installments.getNodeType());
        }
        if (installments.isEmpty()) {
            throw new ProviderDataException("'data.installments' is empty: the update names no installment");
        }
        List<LedgerCommand> commands = new ArrayList<>();
        for (int i = 0; i < installments.size(); i++) {
            JsonNode element = installments.get(i);
            commands.add(at("data.installments[" + i + "]", () -> billing(asObject(element), debtKey, recordedAt)));
        }
        return commands;
    }

    private static RecordInstallmentBilling billing(JsonNode element, String debtKey, Instant recordedAt) {
        String key = text(element, "installment_key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'installment_key' is missing");
        }
        InstallmentBilling billing = new InstallmentBilling(
                text(element, "digitable_line"),
                text(element, "qr_code_key"),
                text(element, "qr_code_url"),
                decimal(element, "principal_amortization_amount"),
                decimal(element, "pre_fixed_amount"),
                text(element, "bank_slip_key"),
                date(element, "due_date"),
                decimal(element, "total_amount"));
        return new RecordInstallmentBilling(key.strip(), debtKey, recordedAt, billing);
    }

    private static InstallmentStatus status(String name, String field) {
        return InstallmentStatus.fromProvider(name.strip()).orElseThrow(() -> new ProviderDataException(
                "unknown installment status '" + name + "' in '" + field + "'"));
    }

    /** {@code {"enumerator": "x", ...}} or a bare {@code "x"}; null when absent. */
    private static String enumerator(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (node.isObject()) {
            return at(field, () -> text(node, "enumerator"));
        }
        return text(parent, field);
    }

    /** A list of objects, each read by {@code reader} (see {@link ProviderJson#objects}); absent or null is empty. */
    private static <T> List<T> list(JsonNode parent, String field, Function<JsonNode, T> reader) {
        List<T> items = objects(parent, field, reader);
        return items == null ? List.of() : items;
    }
}
