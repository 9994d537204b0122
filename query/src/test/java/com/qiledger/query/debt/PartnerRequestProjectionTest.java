package com.qiledger.query.debt;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.debt.DebtFactType;
import com.qiledger.command.messages.debt.DisbursementBankAccount;
import com.qiledger.command.messages.debt.DisbursementDateChangeRequested;
import com.qiledger.command.messages.debt.PartnerCallAccepted;
import com.qiledger.command.messages.debt.PartnerCallAttemptFailed;
import com.qiledger.command.messages.debt.PartnerCallConfirmed;
import com.qiledger.command.messages.debt.PartnerCallKind;
import com.qiledger.command.messages.debt.PartnerCallState;
import com.qiledger.command.messages.debt.PermanentCancellationRequested;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partner-call events folded into {@code partner_request_view} and its attempts, and what the queries answer. */
class PartnerRequestProjectionTest {

    static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
    static final PartnerCallKind CANCEL = PartnerCallKind.CANCEL_PERMANENTLY;

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final PartnerRequestProjection projection = new PartnerRequestProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    @Test
    void aCallMovesFromPendingThroughAFailedAttemptToAcceptedThenConfirmedWithItsReceipt() {
        projector.fold(10, new PermanentCancellationRequested("d1", "r1", "k1", "operator", T0, T0, "asked"));
        assertThat(projection.handle(new FindPartnerRequest("d1", "r1")).orElseThrow().state()).isEqualTo("pending");

        projector.fold(11, new PartnerCallAttemptFailed("d1", "r1", CANCEL, 1, 500, "oops", null, T0.plusSeconds(1),
                T0.plusSeconds(1), PartnerCallState.PENDING));
        projector.fold(12, new PartnerCallAccepted("d1", "r1", CANCEL, 2, 200, "{\"ok\": 1.50}", null,
                T0.plusSeconds(3), T0.plusSeconds(3), PartnerCallState.ACCEPTED));
        PartnerRequestView accepted = projection.handle(new FindPartnerRequest("d1", "r1")).orElseThrow();
        assertThat(accepted.state()).isEqualTo("accepted");
        assertThat(accepted.attempts()).isEqualTo(2);
        assertThat(accepted.answerStatus()).isEqualTo(200);
        assertThat(accepted.answerBody()).isEqualTo("{\"ok\": 1.50}");
        assertThat(accepted.attemptLog()).extracting(PartnerRequestView.Attempt::outcome)
                .containsExactly("failed", "accepted");
        assertThat(accepted.attemptLog().get(0).body()).isEqualTo("oops");

        projector.fold(13, new PartnerCallConfirmed("d1", "r1", CANCEL, DebtFactType.PERMANENT_CANCELLATION,
                T0.plusSeconds(60), T0.plusSeconds(61)), Map.of("receiptId", "receipt-x"));
        PartnerRequestView confirmed = projection.handle(new FindPartnerRequest("d1", "r1")).orElseThrow();
        assertThat(confirmed.state()).isEqualTo("confirmed");
        assertThat(confirmed.confirmingReceipt()).isEqualTo("receipt-x");
        assertThat(confirmed.confirmedBy()).isEqualTo("permanent_cancellation");
    }

    @Test
    void aReplayWritesNothingTwiceAndAnOlderEventNeverMovesTheCallBack() {
        var requested = new PermanentCancellationRequested("d2", "r2", null, "operator", T0, T0, null);
        var accepted = new PartnerCallAccepted("d2", "r2", CANCEL, 1, 200, "{}", null, T0, T0, PartnerCallState.ACCEPTED);
        projector.fold(20, requested);
        projector.fold(21, accepted);
        List<List<String>> once = db.rows("partner_request_view", "partner_request_attempt_view");
        projector.fold(20, requested);
        projector.fold(21, accepted);
        assertThat(db.rows("partner_request_view", "partner_request_attempt_view")).isEqualTo(once);
    }

    @Test
    void theDebtsCallsAreListedOldestFirstWithTheDateChangesBody() {
        var account = new DisbursementBankAccount("1232", "4", "412412412", "checking_account", "37197645832", "184",
                "17298092", "Worker", new BigDecimal("100"));
        projector.fold(30, new PermanentCancellationRequested("d3", "r3", null, "operator", T0, T0, null));
        projector.fold(31, new DisbursementDateChangeRequested("d3", "r4", null, "operator", T0.plusSeconds(5),
                T0.plusSeconds(5), LocalDate.parse("2026-07-03"), List.of(account),
                "{\"disbursement_date\":\"2026-07-03\"}"));
        List<PartnerRequestView> calls = projection.handle(new FindPartnerRequests("d3"));
        assertThat(calls).extracting(PartnerRequestView::requestId).containsExactly("r3", "r4");
        assertThat(calls.get(1).kind()).isEqualTo("change_disbursement_date");
        assertThat(calls.get(1).disbursementDate()).isEqualTo(LocalDate.parse("2026-07-03"));
        assertThat(calls.get(1).requestBody()).isEqualTo("{\"disbursement_date\":\"2026-07-03\"}");
        assertThat(projection.handle(new FindPartnerRequests("other"))).isEmpty();
    }
}
