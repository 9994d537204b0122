package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything one DDA webhook ({@code baas.dda.bankslip.registration} or {@code .update}) says about
 * the slip: a snapshot of it at an unknown moment (these webhooks carry no provider time).
 *
 * <p>Every field of {@code data} is kept; only {@code status} is required, everything else is null
 * when the provider did not send it. Amounts are exact and keep the scale they were sent with
 * ({@code 30.00} stays {@code 30.00}). {@code barcode} and {@code digitableLine} are kept as sent,
 * even when malformed (the aggregate flags them, see {@link DdaDataQualityFlag}).
 *
 * <p>{@code calculations} is documented only as a "list of calculation groups" and is empty in every
 * example, so its elements are kept as flat text maps: each scalar member under its name, a nested
 * member under its path ({@code amounts.fine}, {@code items[0]}); numbers as their exact decimal text;
 * a JSON null as a null value. Keys are sorted, so the order the provider used is not part of the fact.
 */
public record DdaBankSlipSnapshot(
        String barcode,
        String digitableLine,
        DdaBankSlipStatus status,
        BigDecimal nominalAmount,
        BigDecimal totalAmount,
        BigDecimal totalPaymentAmount,
        BigDecimal paidFine,
        BigDecimal paidInterest,
        BigDecimal discountAmount,
        Boolean partialPaymentAllowed,
        LocalDate expiration,
        LocalDate maxPaymentDate,
        DdaBeneficiary beneficiary,
        DdaParty payer,
        DdaParty guarantor,
        BigDecimal rebateAmount,
        List<DdaInterest> interest,
        List<DdaFine> fine,
        List<DdaDiscount> discounts,
        List<Map<String, String>> calculations,
        String calculationModel) {

    public DdaBankSlipSnapshot {
        Objects.requireNonNull(status, "status");
        interest = interest == null ? null : List.copyOf(interest);
        fine = fine == null ? null : List.copyOf(fine);
        discounts = discounts == null ? null : List.copyOf(discounts);
        calculations = calculations == null ? null : calculations.stream()
                .map(c -> Collections.unmodifiableMap(new TreeMap<>(c)))
                .toList();
    }
}
