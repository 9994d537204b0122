package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.at;
import static com.qiledger.api.qitech.ProviderJson.bool;
import static com.qiledger.api.qitech.ProviderJson.date;
import static com.qiledger.api.qitech.ProviderJson.decimal;
import static com.qiledger.api.qitech.ProviderJson.object;
import static com.qiledger.api.qitech.ProviderJson.objects;
import static com.qiledger.api.qitech.ProviderJson.text;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code baas.dda.bankslip.registration} and {@code baas.dda.bankslip.update} (seed 001) into one
 * {@link RecordDdaBankSlipSnapshot} carrying every field of {@code data}.
 *
 * <p>Required: {@code key}, {@code data} and a known {@code data.status}; everything else is null when
 * absent. A field of the wrong shape (an object where a value belongs, a list that is an object, a
 * date that is not one) quarantines the delivery with the field's place ({@link ProviderJson#at}), e.g.
 * {@code data.interest[0]: 'interest_amount' is not a number: 'ten'}. A malformed barcode or digitable
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
        String key = text(webhook, "key");
        if (key == null || key.isBlank()) {
            throw new ProviderDataException("required field 'key' is missing");
        }
        String webhookType = text(webhook, "webhook_type").strip();
        JsonNode data = object(webhook, "data");
        if (data == null) {
            throw new ProviderDataException("required field 'data' is missing");
        }
        String statusName = at("data", () -> text(data, "status"));
        if (statusName == null || statusName.isBlank()) {
            throw new ProviderDataException("required field 'data.status' is missing");
        }
        DdaBankSlipStatus status = DdaBankSlipStatus.fromProvider(statusName.strip())
                .orElseThrow(() -> new ProviderDataException(
                        "unknown DDA bank slip status '" + statusName + "' in 'data.status'"));
        DdaBankSlipSnapshot snapshot = at("data", () -> snapshot(data, status));
        return List.of(new RecordDdaBankSlipSnapshot(key.strip(), webhookType, recordedAt, snapshot));
    }

    private static DdaBankSlipSnapshot snapshot(JsonNode data, DdaBankSlipStatus status) {
        return new DdaBankSlipSnapshot(
                text(data, "barcode"),
                text(data, "digitable_line"),
                status,
                decimal(data, "nominal_amount"),
                decimal(data, "total_amount"),
                decimal(data, "total_payment_amount"),
                decimal(data, "paid_fine"),
                decimal(data, "paid_interest"),
                decimal(data, "discount_amount"),
                bool(data, "partial_payment_allowed"),
                date(data, "expiration"),
                date(data, "max_payment_date"),
                beneficiary(object(data, "beneficiary")),
                party(data, "payer"),
                party(data, "guarantor"),
                decimal(data, "rebate_amount"),
                objects(data, "interest", i -> new DdaInterest(text(i, "interest_amount_type"),
                        date(i, "interest_billing_start_date"), decimal(i, "interest_amount"))),
                objects(data, "fine", f -> new DdaFine(date(f, "fine_billing_start_date"), text(f, "fine_amount_type"),
                        decimal(f, "fine_amount"))),
                objects(data, "discounts", d -> new DdaDiscount(date(d, "discount_limit_date"),
                        text(d, "discount_type"), decimal(d, "discount_amount"))),
                objects(data, "calculations", DdaBankSlipTranslator::calculation),
                text(data, "calculation_model"));
    }

    private static DdaBeneficiary beneficiary(JsonNode b) {
        return b == null ? null : at("beneficiary", () -> new DdaBeneficiary(text(b, "name"), text(b, "bank_code"),
                text(b, "bank_ispb"), text(b, "person_type"), text(b, "document_number")));
    }

    private static DdaParty party(JsonNode data, String field) {
        JsonNode p = object(data, field);
        return p == null ? null : at(field, () -> new DdaParty(text(p, "name"), text(p, "person_type"),
                text(p, "document_number")));
    }

    /**
     * One calculation group as a flat text map (its shape is undocumented): scalars under their name,
     * nested members under their path ({@code a.b}, {@code a[0]}), an empty object or list as
     * {@code {}} or {@code []}, numbers as exact decimal text, JSON null as null.
     */
    private static Map<String, String> calculation(JsonNode c) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", c, flat);
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
}
