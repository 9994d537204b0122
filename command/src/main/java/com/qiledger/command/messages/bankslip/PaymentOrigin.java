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
        String stripped = code.strip();
        // leading zeros dropped while a digit follows (what ^0+(?=\d) did, without a regex per payment)
        int start = 0;
        while (start < stripped.length() - 1 && stripped.charAt(start) == '0' && isDigit(stripped.charAt(start + 1))) {
            start++;
        }
        String normalized = stripped.substring(start);
        return new PaymentOrigin(normalized, KNOWN.getOrDefault(normalized, "unknown"));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
