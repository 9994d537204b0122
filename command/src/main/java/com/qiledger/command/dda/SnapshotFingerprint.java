package com.qiledger.command.dda;

import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDiscount;
import com.qiledger.command.messages.dda.DdaFine;
import com.qiledger.command.messages.dda.DdaInterest;
import com.qiledger.command.messages.dda.DdaParty;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The identity of a DDA snapshot: SHA-256 over a canonical rendering of the translated record, never
 * of the raw body, so that the same snapshot sent with other whitespace, member order or unknown extra
 * fields is the same fact.
 *
 * <p>The rendering is a JSON-like text with a fixed member order, a version prefix, strings escaped,
 * amounts by {@link BigDecimal#toString()} (so {@code 30.00} and {@code 30} differ, as they do for the
 * records' {@code equals}), and only the members that are not null. Leaving nulls out keeps every
 * stored fingerprint valid when a field is added to the snapshot later: old snapshots render the same.
 * Changing how an existing field renders would change identities and needs a new version prefix.
 */
final class SnapshotFingerprint {

    static final String VERSION = "dda-bank-slip-snapshot/1";

    private SnapshotFingerprint() {
    }

    static String of(DdaBankSlipSnapshot snapshot) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(snapshot).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String canonical(DdaBankSlipSnapshot s) {
        return VERSION + "\n" + new Obj()
                .put("barcode", s.barcode())
                .put("digitable_line", s.digitableLine())
                .put("status", s.status().providerName())
                .put("nominal_amount", s.nominalAmount())
                .put("total_amount", s.totalAmount())
                .put("total_payment_amount", s.totalPaymentAmount())
                .put("paid_fine", s.paidFine())
                .put("paid_interest", s.paidInterest())
                .put("discount_amount", s.discountAmount())
                .put("partial_payment_allowed", s.partialPaymentAllowed())
                .put("expiration", s.expiration())
                .put("max_payment_date", s.maxPaymentDate())
                .raw("beneficiary", s.beneficiary() == null ? null : beneficiary(s.beneficiary()))
                .raw("payer", s.payer() == null ? null : party(s.payer()))
                .raw("guarantor", s.guarantor() == null ? null : party(s.guarantor()))
                .put("rebate_amount", s.rebateAmount())
                .raw("interest", list(s.interest(), SnapshotFingerprint::interest))
                .raw("fine", list(s.fine(), SnapshotFingerprint::fine))
                .raw("discounts", list(s.discounts(), SnapshotFingerprint::discount))
                .raw("calculations", list(s.calculations(), SnapshotFingerprint::calculation))
                .put("calculation_model", s.calculationModel())
                .close();
    }

    private static String beneficiary(DdaBeneficiary b) {
        return new Obj().put("name", b.name()).put("bank_code", b.bankCode()).put("bank_ispb", b.bankIspb())
                .put("person_type", b.personType()).put("document_number", b.documentNumber()).close();
    }

    private static String party(DdaParty p) {
        return new Obj().put("name", p.name()).put("person_type", p.personType())
                .put("document_number", p.documentNumber()).close();
    }

    private static String interest(DdaInterest i) {
        return new Obj().put("interest_amount_type", i.interestAmountType())
                .put("interest_billing_start_date", i.interestBillingStartDate())
                .put("interest_amount", i.interestAmount()).close();
    }

    private static String fine(DdaFine f) {
        return new Obj().put("fine_billing_start_date", f.fineBillingStartDate())
                .put("fine_amount_type", f.fineAmountType()).put("fine_amount", f.fineAmount()).close();
    }

    private static String discount(DdaDiscount d) {
        return new Obj().put("discount_limit_date", d.discountLimitDate()).put("discount_type", d.discountType())
                .put("discount_amount", d.discountAmount()).close();
    }

    /** Keys are already sorted (the snapshot keeps its maps sorted); a null value is rendered as null. */
    private static String calculation(Map<String, String> c) {
        StringBuilder out = new StringBuilder("{");
        c.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(k)).append(':').append(v == null ? "null" : quote(v));
        });
        return out.append('}').toString();
    }

    private static <T> String list(List<T> items, Function<T, String> render) {
        if (items == null) {
            return null;
        }
        StringBuilder out = new StringBuilder("[");
        for (T item : items) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(item == null ? "null" : render.apply(item));
        }
        return out.append(']').toString();
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Members in the order they are put; null values are left out. */
    private static final class Obj {

        private final StringBuilder out = new StringBuilder("{");

        Obj put(String name, Object value) {
            if (value == null) {
                return this;
            }
            String rendered = value instanceof String text ? quote(text)
                    : value instanceof BigDecimal amount ? amount.toString()
                    : value instanceof Boolean flag ? flag.toString()
                    : quote(value.toString());
            return raw(name, rendered);
        }

        Obj raw(String name, String rendered) {
            if (rendered == null) {
                return this;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(name)).append(':').append(rendered);
            return this;
        }

        String close() {
            return out.append('}').toString();
        }
    }
}
