package com.qiledger.command.messages.installment;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * How an installment can be paid, from one element of an {@code update} webhook's
 * {@code data.installments}: the bank slip ({@code bank_slip_key} links it to a BankSlip, with its
 * digitable line), the Pix QR code, the due date and the amounts. Amounts are exact and keep their
 * full scale ({@code 141.07452576}); fields the provider did not send are null. Two billings with
 * equal fields are the same billing sent again.
 */
public record InstallmentBilling(
        String digitableLine,
        String qrCodeKey,
        String qrCodeUrl,
        BigDecimal principalAmortizationAmount,
        BigDecimal preFixedAmount,
        String bankSlipKey,
        LocalDate dueDate,
        BigDecimal totalAmount) {
}
