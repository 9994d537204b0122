package com.qiledger.api.finance;

import static com.qiledger.api.finance.FinanceEvents.batch;
import static com.qiledger.api.finance.FinanceEvents.batchUpdate;
import static com.qiledger.api.finance.FinanceEvents.billing;
import static com.qiledger.api.finance.FinanceEvents.collateral;
import static com.qiledger.api.finance.FinanceEvents.dda;
import static com.qiledger.api.finance.FinanceEvents.notaryNotice;
import static com.qiledger.api.finance.FinanceEvents.notice;
import static com.qiledger.api.finance.FinanceEvents.payment;
import static com.qiledger.api.finance.FinanceEvents.settled;
import static com.qiledger.api.finance.FinanceEvents.status;
import static com.qiledger.api.finance.FinanceEvents.tedRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.query.finance.LedgerEntries;
import com.qiledger.query.finance.ReconciliationReport;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The finance fold gives the same ledger and report whether its writes go one by one (live
 * processing) or queued and sent in JDBC batches (a rebuild lane), including the folds that read
 * what earlier events of the same batch wrote: payment revisions and conciliated-amount increases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedFoldTest {

    FinanceDatabase db;

    @BeforeAll
    void start() {
        db = FinanceDatabase.start("finance-batched");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    /** Every kind of fact the fold knows, with the same keys again so later folds read earlier ones. */
    static List<LedgerEvent> story() {
        Instant recorded = Instant.parse("2024-03-10T15:00:00Z");
        return List.of(
                billing("i1", "s1", "300.00", "2024-03-15", true),
                notaryNotice("s1", "300.00", "2024-03-11T09:00:00"),
                notice("s1", "300.00", "2024-03-09T09:00:00"),
                settled("s1", "290.00", "2024-03-12T10:00:00"),
                settled("s1", "300.00", "2024-03-13T10:00:00"),
                status("i1", InstallmentStatus.PAID_PARTIAL, "100.00", payment("p1", "100.00", "2024-03-05T10:00:00")),
                // p1 again with another amount: a revision by the difference, read from the entry just written
                status("i1", InstallmentStatus.PAID, "320.00", payment("p1", "120.00", "2024-03-05T10:00:00"),
                        payment("p2", "200.00", "2024-03-08T10:00:00")),
                // one event naming a payment key twice: both compared with the ledger before the event
                status("i2", InstallmentStatus.PAID_PARTIAL, "50.00", payment("p9", "20.00", "2024-03-06T10:00:00"),
                        payment("p9", "30.00", "2024-03-06T11:00:00")),
                // then revised against both entries, which the batched fold remembers instead of reading back
                status("i2", InstallmentStatus.PAID_PARTIAL, "60.00", payment("p9", "60.00", "2024-03-06T11:00:00")),
                billing("i2", "s2", "100.00", "2024-03-20", true),
                status("i2", InstallmentStatus.PAID, "100.00", payment("p10", "40.00", "2024-03-07T10:00:00")),
                batch("bA", "100.10", "40", 3, 1, "2024-03-12", "2024-03-11T10:00:00"),
                // only the increase over the amount just folded is entered
                batchUpdate("bA", "100.10", "70.00", 3, 2, "2024-03-12", "2024-03-12T10:00:00", true),
                batchUpdate("bA", "100.10", "55", 3, 2, "2024-03-12", "2024-03-11T12:00:00", false),
                dda("d3", "f3", DdaBankSlipStatus.PARTIALLY_PAID, "1000.00", "300.00",
                        DdaBankSlipStatus.PARTIALLY_PAID, true, "300.00", recorded),
                dda("d3", "f4", DdaBankSlipStatus.PARTIALLY_PAID, "1000.00", "200.00",
                        DdaBankSlipStatus.PARTIALLY_PAID, false, "500.00", recorded.plusSeconds(60)),
                tedRefused("debt-1", "1500.00", "invalid account", "2024-03-12T10:00:00"),
                collateral("debt-1", "1000.00", "2024-03-12T11:00:00", true, "400.00", "500.00"));
    }

    @Test
    void batchedFoldsGiveTheSameLedgerAndReportAsFoldsOneByOne() {
        db.reset();
        story().forEach(db::fold);
        LedgerEntries oneByOne = db.entries("2024-03-01", "2024-03-31");
        ReconciliationReport reportOneByOne = db.report("2024-03-01", "2024-03-31");

        db.reset();
        AtomicLong collateralsBeforeTheEnd = new AtomicLong(-1);
        db.foldBatched(story(), () -> collateralsBeforeTheEnd.set(
                db.jdbc.sql("SELECT count(*) FROM fin_collateral").query(Long.class).single()));
        LedgerEntries batched = db.entries("2024-03-01", "2024-03-31");
        ReconciliationReport reportBatched = db.report("2024-03-01", "2024-03-31");

        // the writes after the fold's last read (of fin_batch) were still queued: batching took place
        assertThat(collateralsBeforeTheEnd.get()).isZero();
        assertThat(db.jdbc.sql("SELECT count(*) FROM fin_collateral").query(Long.class).single()).isEqualTo(1);
        assertThat(oneByOne.entries()).hasSizeGreaterThan(8);
        // p9: two entries of one event, then a revision by what the standing amount changed (60 - 50)
        assertThat(batched.entries()).filteredOn(e -> "p9".equals(e.reference()))
                .extracting(e -> e.kind() + " " + e.amount().toPlainString())
                .containsExactlyInAnyOrder("installment_payment 20.00", "installment_payment 30.00",
                        "installment_payment_revised 10.00");
        // every entry the same, but for the event identifiers, which each fold of a hand-made event draws anew
        assertThat(batched.entries()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("eventId")
                .containsExactlyElementsOf(oneByOne.entries());
        assertThat(reportBatched.breaks()).isEqualTo(reportOneByOne.breaks());
        assertThat(reportBatched.summary()).isEqualTo(reportOneByOne.summary());
        assertThat(reportBatched.batchesByReferenceDate()).isEqualTo(reportOneByOne.batchesByReferenceDate());
    }
}
