package com.qiledger.command.messages.bankslip;

import java.util.Map;

/**
 * Where a slip was paid, as the provider's payment-origin code plus its meaning. An unknown code is
 * kept as sent, with {@code description} "unknown", so a new channel never loses a payment.
 */
public record PaymentOrigin(String code, String description) {

    private static final Map<String, String> KNOWN = Map.of(
            "1", "branch",
            "2", "ATM",
            "3", "internet banking",
            "5", "banking agent",
            "6", "call center",
            "7", "electronic file",
            "8", "DDA",
            "9", "digital agent",
            "901", "Pix QR code");

    public static PaymentOrigin decode(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        String normalized = code.strip().replaceFirst("^0+(?=\\d)", "");
        return new PaymentOrigin(normalized, KNOWN.getOrDefault(normalized, "unknown"));
    }
}
