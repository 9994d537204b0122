package com.qiledger.query.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.debt.DebtFactType;
import com.qiledger.command.messages.debt.PartnerCallAccepted;
import com.qiledger.command.messages.debt.PartnerCallConfirmed;
import com.qiledger.command.messages.debt.PartnerCallKind;
import com.qiledger.command.messages.debt.PartnerCallRefused;
import com.qiledger.command.messages.debt.PartnerCallState;
import com.qiledger.command.messages.debt.PermanentCancellationRequested;
import com.qiledger.query.debt.PartnerRequestProjection;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Rule 7 (issue 22): a permanent cancellation asked of the provider and not confirmed by its webhook
 * after N days is a break; a confirmed or refused one is not, and a younger one not yet.
 */
class CancellationUnconfirmedTest {

    static final LocalDate MARCH_1 = LocalDate.parse("2026-03-01");
    static final LocalDate MARCH_31 = LocalDate.parse("2026-03-31");
    static final PartnerCallKind CANCEL = PartnerCallKind.CANCEL_PERMANENTLY;

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final Projector projector = new Projector(new PartnerRequestProjection(db.jdbc()), db);
    private final FinanceQueries queries = new FinanceQueries(db.jdbc());

    static Instant march(int day) {
        return Instant.parse(String.format("2026-03-%02dT15:00:00Z", day));
    }

    static PermanentCancellationRequested asked(String debt, int day) {
        return new PermanentCancellationRequested(debt, "req-" + debt, null, "operator", march(day), march(day), null);
    }

    @Test
    void anAcceptedCancellationWithoutItsWebhookAfterNDaysIsABreak() {
        projector.fold(1, asked("accepted-old", 10));
        projector.fold(2, new PartnerCallAccepted("accepted-old", "req-accepted-old", CANCEL, 1, 200, "{}", null,
                march(10), march(10), PartnerCallState.ACCEPTED));
        projector.fold(3, asked("confirmed", 10));
        projector.fold(4, new PartnerCallConfirmed("confirmed", "req-confirmed", CANCEL,
                DebtFactType.PERMANENT_CANCELLATION, march(12), march(12)));
        projector.fold(5, asked("refused", 10));
        projector.fold(6, new PartnerCallRefused("refused", "req-refused", CANCEL, 1, 422, "{}", null, march(10),
                march(10), PartnerCallState.REFUSED));
        projector.fold(7, asked("too-young", 28));

        ReconciliationReport report = queries.handle(new FindReconciliationReport(MARCH_1, MARCH_31, 2, 5));

        assertThat(report.breaks()).singleElement().satisfies(line -> {
            assertThat(line.rule()).isEqualTo(7);
            assertThat(line.category()).isEqualTo("cancellation_unconfirmed");
            assertThat(line.entity()).isEqualTo("debts");
            assertThat(line.key()).isEqualTo("accepted-old");
            assertThat(line.reference()).isEqualTo("req-accepted-old");
            assertThat(line.effectiveDate()).isEqualTo(LocalDate.parse("2026-03-10"));
            assertThat(line.ageInDays()).isEqualTo(21);
            assertThat(line.reason()).contains("accepted", "after 5 days");
        });
        // a report of the period before the confirmation still lists the confirmed one: true at its end
        ReconciliationReport before = queries.handle(new FindReconciliationReport(MARCH_1,
                LocalDate.parse("2026-03-11"), 2, 0));
        assertThat(before.breaks()).extracting(ReconciliationBreak::key)
                .containsExactlyInAnyOrder("accepted-old", "confirmed");
    }
}
