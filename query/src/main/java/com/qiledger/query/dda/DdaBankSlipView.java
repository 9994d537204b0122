package com.qiledger.query.dda;

import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDiscount;
import com.qiledger.command.messages.dda.DdaFine;
import com.qiledger.command.messages.dda.DdaInterest;
import com.qiledger.command.messages.dda.DdaParty;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A DDA bank slip as the read model holds it: its status, every field of its current snapshot (the one
 * the aggregate ranks highest; for a paid slip, {@code totalPaymentAmount} is the settled amount), that
 * snapshot's data-quality flags ({@code barcode_malformed}, ...), and its partial payments with their
 * exact sum. Document numbers are personal data, shown here to auditors only.
 */
public record DdaBankSlipView(
        String key,
        String status,
        List<String> dataQualityFlags,
        String barcode,
        String digitableLine,
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
        String calculationModel,
        BigDecimal partiallyPaidAmount,
        List<DdaPartialPaymentView> partialPayments,
        String snapshotFingerprint,
        String snapshotWebhookType,
        int snapshotsRecorded,
        Instant firstRecordedAt,
        Instant lastRecordedAt,
        long position) {
}
