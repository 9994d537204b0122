package com.qiledger.command.messages.debt;

import java.util.Objects;

/**
 * Why a {@code debt} webhook says the operation was {@code canceled}: the disbursement was refused.
 * {@code cancelReason} is {@value #TED} with its {@link TedRefusal} or {@value #PIX} with its
 * {@link PixRefusal}; the other detail is null. A cancellation without its details is not a fact the
 * ledger can record (the anti-corruption layer quarantines it), hence the checks here.
 */
public record DisbursementRefusal(String cancelReason, TedRefusal tedRefusal, PixRefusal pixRefusal) {

    public static final String TED = "ted_refusal";
    public static final String PIX = "pix_refusal";

    public DisbursementRefusal {
        Objects.requireNonNull(cancelReason, "cancelReason");
        switch (cancelReason) {
            case TED -> {
                Objects.requireNonNull(tedRefusal, "tedRefusal");
                if (pixRefusal != null) {
                    throw new IllegalArgumentException("a ted_refusal carries no pix_refusal");
                }
            }
            case PIX -> {
                Objects.requireNonNull(pixRefusal, "pixRefusal");
                if (tedRefusal != null) {
                    throw new IllegalArgumentException("a pix_refusal carries no ted_refusal");
                }
            }
            default -> throw new IllegalArgumentException("unknown cancel_reason '" + cancelReason + "'");
        }
    }

    public static DisbursementRefusal ted(TedRefusal refusal) {
        return new DisbursementRefusal(TED, refusal, null);
    }

    public static DisbursementRefusal pix(PixRefusal refusal) {
        return new DisbursementRefusal(PIX, null, refusal);
    }
}
