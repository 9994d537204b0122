package com.qiledger.command.messages.bankslip;

import java.util.Map;

/**
 * Why a slip was written off: the bank's reason code, its meaning in the provider's table, and the
 * text the bank sent. Unknown codes are kept with description "unknown".
 */
public record WriteOffReason(String code, String description, String bankReasonName) {

    private static final Map<String, String> KNOWN = Map.of(
            "00", "accepted",
            "10", "written off at the client's request",
            "14", "protested at a notary",
            "16", "written off by the institution after the deadline",
            "20", "written off and moved to discount");

    public static WriteOffReason decode(String code, String bankReasonName) {
        if (code == null || code.isBlank()) {
            return new WriteOffReason(null, "not informed", bankReasonName);
        }
        String normalized = code.strip().length() == 1 ? "0" + code.strip() : code.strip();
        return new WriteOffReason(normalized, KNOWN.getOrDefault(normalized, "unknown"), bankReasonName);
    }
}
