package com.qiledger.query.debt;

import java.time.Instant;
import java.util.List;

/**
 * A debt as the read model holds it. {@code status} is the aggregate's (see {@code DebtStatus}),
 * {@code finalState} true once it is canceled permanently; from then on later facts are counted in
 * {@code ignoredAfterFinal} and change nothing else. {@code factsRecorded} counts every distinct fact
 * the ledger holds for the debt, ignored ones included. Failed reservations and refusals are listed
 * by provider time; {@code latestRefusal} is the one the aggregate calls latest. The debt's
 * installments are not here: they belong to another family and are composed into the answer by the
 * read API.
 */
public record DebtView(
        String debtKey,
        String status,
        boolean finalState,
        Instant canceledPermanentlyAt,
        CollateralView collateral,
        List<FailedReservationView> failedReservations,
        List<RefusalView> refusals,
        RefusalView latestRefusal,
        Instant firstRecordedAt,
        Instant lastRecordedAt,
        int factsRecorded,
        int ignoredAfterFinal,
        long lastPosition) {

    public DebtView {
        failedReservations = List.copyOf(failedReservations);
        refusals = List.copyOf(refusals);
    }
}
