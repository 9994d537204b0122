package com.qiledger.api.qitech;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDiscount;
import com.qiledger.command.messages.dda.DdaFine;
import com.qiledger.command.messages.dda.DdaInterest;
import com.qiledger.command.messages.dda.DdaParty;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * {@code baas.dda.bankslip.registration} and {@code baas.dda.bankslip.update} (seed 001) into one
 * {@link RecordDdaBankSlipSnapshot} carrying every field of {@code data}.
 *
 * <p>Required: {@code key}, {@code data} and a known {@code data.status}; everything else is null when
 * absent. A field of the wrong shape (an object where a value belongs, a list that is an object, a
 * date that is not one) quarantines the delivery with the field's full path, e.g.
 * {@code 'data.interest[0].interest_amount' is not a number: 'ten'}. A malformed barcode or digitable
 * line is not a reading error: the aggregate records and flags it. Document numbers and names are read
 * and passed on, never put in a reason or a log.
 */
@Component
public class DdaBankSlipTranslator implements FamilyTranslator {

    @Override
    public Set<String> webhookTypes() {
        return Set.of(RecordDdaBankSlipSnapshot.REGISTRATION, RecordDdaBankSlipSnapshot.UPDATE);
    }

    @Override
    public List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt) {
        Fields top = new Fields(webhook, "");
        String key = top.text("key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'key' is missing");
        }
        String webhookType = top.text("webhook_type").strip();
        Fields data = top.object("data");
        if (data == null) {
            throw new ProviderDataException("required field 'data' is missing");
        }
        String statusName = data.text("status");
        if (statusName == null || statusName.isBlank()) {
            throw new ProviderDataException("required field 'data.status' is missing");
        }
        DdaBankSlipStatus status = DdaBankSlipStatus.fromProvider(statusName.strip())
                .orElseThrow(() -> new ProviderDataException(
                        "unknown DDA bank slip status '" + statusName + "' in 'data.status'"));
        DdaBankSlipSnapshot snapshot = new DdaBankSlipSnapshot(
                data.text("barcode"),
                data.text("digitable_line"),
                status,
                data.decimal("nominal_amount"),
                data.decimal("total_amount"),
                data.decimal("total_payment_amount"),
                data.decimal("paid_fine"),
                data.decimal("paid_interest"),
                data.decimal("discount_amount"),
                data.bool("partial_payment_allowed"),
                data.date("expiration"),
                data.date("max_payment_date"),
                beneficiary(data.object("beneficiary")),
                party(data.object("payer")),
                party(data.object("guarantor")),
                data.decimal("rebate_amount"),
                data.list("interest", i -> new DdaInterest(i.text("interest_amount_type"),
                        i.date("interest_billing_start_date"), i.decimal("interest_amount"))),
                data.list("fine", f -> new DdaFine(f.date("fine_billing_start_date"), f.text("fine_amount_type"),
                        f.decimal("fine_amount"))),
                data.list("discounts", d -> new DdaDiscount(d.date("discount_limit_date"), d.text("discount_type"),
                        d.decimal("discount_amount"))),
                data.list("calculations", DdaBankSlipTranslator::calculation),
                data.text("calculation_model"));
        return List.of(new RecordDdaBankSlipSnapshot(key.strip(), webhookType, recordedAt, snapshot));
    }

    private static DdaBeneficiary beneficiary(Fields b) {
        return b == null ? null : new DdaBeneficiary(b.text("name"), b.text("bank_code"), b.text("bank_ispb"),
                b.text("person_type"), b.text("document_number"));
    }

    private static DdaParty party(Fields p) {
        return p == null ? null : new DdaParty(p.text("name"), p.text("person_type"), p.text("document_number"));
    }

    /**
     * One calculation group as a flat text map (its shape is undocumented): scalars under their name,
     * nested members under their path ({@code a.b}, {@code a[0]}), an empty object or list as
     * {@code {}} or {@code []}, numbers as exact decimal text, JSON null as null.
     */
    private static Map<String, String> calculation(Fields c) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", c.node(), flat);
        return flat;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            if (node.isEmpty() && !path.isEmpty()) {
                into.put(path, "{}");
            }
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                flatten(path.isEmpty() ? member.getKey() : path + "." + member.getKey(), member.getValue(), into);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                into.put(path, "[]");
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), into);
            }
        } else if (node.isNull()) {
            into.put(path, null);
        } else {
            into.put(ProviderLimits.boundedText("calculations", path),
                    ProviderLimits.boundedText(path, node.isNumber() ? node.decimalValue().toPlainString() : node.asText()));
        }
    }

    /**
     * The members of one JSON object, read with {@link ProviderJson}'s tolerant helpers; a reading
     * error names the member by its full path ({@code data.payer.name}, {@code data.fine[1].fine_amount}).
     */
    record Fields(JsonNode node, String path) {

        String where(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        String text(String field) {
            return read(field, () -> ProviderJson.text(node, field));
        }

        BigDecimal decimal(String field) {
            return read(field, () -> ProviderJson.decimal(node, field));
        }

        LocalDate date(String field) {
            return read(field, () -> ProviderJson.date(node, field));
        }

        Boolean bool(String field) {
            return read(field, () -> ProviderJson.bool(node, field));
        }

        /** A member object, or null when absent or null. */
        Fields object(String field) {
            JsonNode member = read(field, () -> ProviderJson.object(node, field));
            return member == null ? null : new Fields(member, where(field));
        }

        /** A member list of objects, each read by {@code element}; null when absent or null. */
        <T> List<T> list(String field, Function<Fields, T> element) {
            JsonNode member = node.get(field);
            if (!ProviderJson.present(member)) {
                return null;
            }
            if (!member.isArray()) {
                throw new ProviderDataException("'" + where(field) + "' should be an array, not "
                        + member.getNodeType());
            }
            List<T> items = new ArrayList<>(member.size());
            for (int i = 0; i < member.size(); i++) {
                String at = where(field) + "[" + i + "]";
                JsonNode item = member.get(i);
                if (!item.isObject()) {
                    throw new ProviderDataException("'" + at + "' should be an object, not " + item.getNodeType());
                }
                items.add(element.apply(new Fields(item, at)));
            }
            return items;
        }

        /** Runs one helper; its reason, which names the bare field, is made to name the full path. */
        private <T> T read(String field, Supplier<T> helper) {
            try {
                return helper.get();
            } catch (ProviderDataException e) {
                String bare = "'" + field + "'";
                String reason = e.getMessage();
                int at = reason.indexOf(bare);
                throw new ProviderDataException(at < 0 ? where(field) + ": " + reason
                        : reason.substring(0, at) + "'" + where(field) + "'" + reason.substring(at + bare.length()));
            }
        }
    }
}
