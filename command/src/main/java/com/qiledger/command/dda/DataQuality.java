package com.qiledger.command.dda;

import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaDataQualityFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The data-quality rules of a DDA snapshot. A flawed snapshot is still a fact about a slip that exists
 * at the provider: it is recorded with its flags, never refused. The barcode is exactly 44 digits and
 * the digitable line exactly 47 (no separators: the provider documents them as 44 and 47 characters);
 * their check digits are not verified.
 */
final class DataQuality {

    private static final Pattern BARCODE = Pattern.compile("[0-9]{44}");
    private static final Pattern DIGITABLE_LINE = Pattern.compile("[0-9]{47}");

    private DataQuality() {
    }

    /** The snapshot's flags, in the declaration order of {@link DdaDataQualityFlag}. */
    static List<DdaDataQualityFlag> flags(DdaBankSlipSnapshot s) {
        List<DdaDataQualityFlag> flags = new ArrayList<>();
        if (s.barcode() == null) {
            flags.add(DdaDataQualityFlag.BARCODE_MISSING);
        } else if (!BARCODE.matcher(s.barcode()).matches()) {
            flags.add(DdaDataQualityFlag.BARCODE_MALFORMED);
        }
        if (s.digitableLine() == null) {
            flags.add(DdaDataQualityFlag.DIGITABLE_LINE_MISSING);
        } else if (!DIGITABLE_LINE.matcher(s.digitableLine()).matches()) {
            flags.add(DdaDataQualityFlag.DIGITABLE_LINE_MALFORMED);
        }
        if ((s.status() == DdaBankSlipStatus.PAID || s.status() == DdaBankSlipStatus.PARTIALLY_PAID)
                && s.totalPaymentAmount() == null) {
            flags.add(DdaDataQualityFlag.PAYMENT_AMOUNT_MISSING);
        }
        return List.copyOf(flags);
    }
}
