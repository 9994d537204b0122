package com.qiledger.command.messages.bankslip;

import java.time.LocalDate;
import java.util.List;

/**
 * The CNAB occurrence behind a status change, as the provider describes it. Codes are kept as text
 * because the provider sends them as numbers in one webhook and as strings in the next.
 */
public record SlipOccurrence(
        String type,
        String feedback,
        String sequence,
        List<String> reasons,
        List<String> gladosReasons,
        String requesterProfileCode,
        String registrationInstitution,
        String cnabFileOccurrenceOrder,
        LocalDate registrationInstitutionOccurrenceDate,
        String bankReasonCode,
        String bankReasonName) {

    public SlipOccurrence {
        reasons = reasons == null ? null : List.copyOf(reasons);
        gladosReasons = gladosReasons == null ? null : List.copyOf(gladosReasons);
    }
}
