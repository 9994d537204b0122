package com.qiledger.api.finance;

import static com.qiledger.api.finance.FinanceEvents.batch;
import static com.qiledger.api.finance.FinanceEvents.batchUpdate;
import static com.qiledger.api.finance.FinanceEvents.collateral;
import static com.qiledger.api.finance.FinanceEvents.notice;
import static com.qiledger.api.finance.FinanceEvents.payment;
import static com.qiledger.api.finance.FinanceEvents.pixRefused;
import static com.qiledger.api.finance.FinanceEvents.settled;
import static com.qiledger.api.finance.FinanceEvents.status;
import static com.qiledger.api.finance.FinanceEvents.tedRefused;
import static com.qiledger.api.finance.FinanceEvents.writtenOff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.query.journal.JournalReads.AccountBalance;
import com.qiledger.query.journal.JournalReads.AccountBalances;
import com.qiledger.query.journal.JournalReads.AccountStatement;
import com.qiledger.query.journal.JournalReads.FindAccountBalances;
import com.qiledger.query.journal.JournalReads.FindAccountStatement;
import com.qiledger.query.journal.JournalReads.FindJournal;
import com.qiledger.query.journal.JournalReads.Journal;
import com.qiledger.query.journal.JournalReads.Transaction;
import com.qiledger.query.journal.JournalRule;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The journal's rules, one scenario each, on a real PostgreSQL: what each event posts, corrections as
 * reversing transactions, balances that follow back-dated postings, the database refusing an
 * unbalanced transaction, and docs/finance.md's table being the code's.
 */
class JournalProjectionTest {

    static JournalDatabase db;
    final List<EventMessage<?>> folded = new ArrayList<>();

    @BeforeAll
    static void start() {
        db = JournalDatabase.start("journal-rules");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.reset();
    }

    long fold(LedgerEvent event) {
        EventMessage<?> message = JournalDatabase.message(event, folded.size() + 1L);
        folded.add(message);
        db.fold(message, folded.size());
        return folded.size();
    }

    Journal journal() {
        return db.queries.journal(new FindJournal(LocalDate.parse("2000-01-01"), LocalDate.parse("2100-01-01")));
    }

    static List<String> lines(Transaction t) {
        return t.postings().stream().map(p -> (p.debit() != null ? "Dr " + p.account() + " " + p.debit().toPlainString()
                : "Cr " + p.account() + " " + p.credit().toPlainString())
                + (p.reverses() == null ? "" : " reverses " + p.reverses())).toList();
    }

    BigDecimal balance(String address, String asOf) {
        return db.queries.balances(new FindAccountBalances(LocalDate.parse(asOf), address, 1)).orElseThrow().balance();
    }

    @Test
    void aNoticeIsInTransitUntilTheSettlementReversesItAndPostsTheCash() {
        long notified = fold(notice("s1", "100.00", "2024-03-10T10:00"));
        fold(settled("s1", "101.5", "2024-03-12T10:00"));

        List<Transaction> t = journal().transactions();
        assertThat(lines(t.get(0))).containsExactly(
                "Dr assets:in_transit:bank_slips:s1 100.00", "Cr suspense:collections:bank_slips:s1 100.00");
        assertThat(lines(t.get(1))).containsExactly(
                "Dr suspense:collections:bank_slips:s1 100.00 reverses " + notified,
                "Cr assets:in_transit:bank_slips:s1 100.00 reverses " + notified,
                "Dr assets:cash:provider 101.5", "Cr suspense:collections:bank_slips:s1 101.5");
        assertThat(t.get(1).debits()).isEqualByComparingTo("201.5").isEqualByComparingTo(t.get(1).credits());
        assertThat(t.get(1).receipt()).isEqualTo("receipt-2");
        assertThat(t.get(1).entity()).isEqualTo("bank-slips");
        assertThat(t.get(1).eventType()).isEqualTo("BankSlipPaid");

        assertThat(balance("assets:in_transit", "2024-03-11")).isEqualByComparingTo("100");
        assertThat(balance("assets:in_transit", "2024-03-12")).isEqualByComparingTo("0");
        assertThat(balance("assets", "2024-03-12")).isEqualByComparingTo("101.5");
        assertThat(balance("suspense", "2024-03-12")).isEqualByComparingTo("-101.5");
        assertThat(balance("assets", "2024-03-09")).isEqualByComparingTo("0");
        assertThat(db.trialBalance("2024-03-12").balanced()).isTrue();
    }

    @Test
    void aLowerConciliatedFigureIsAReversingTransactionNeverAnEdit() {
        long first = fold(batch("b1", "900", "500.00", 3, 2, "2025-06-13", "2025-06-13T09:00"));
        fold(batchUpdate("b1", "900", "300.00", 3, 1, "2025-06-13", "2025-06-14T09:00", true));
        fold(batchUpdate("b1", "900", "800.00", 3, 1, "2025-06-13", "2025-06-13T12:00", false)); // not current

        List<Transaction> t = journal().transactions();
        assertThat(t).hasSize(2);
        assertThat(lines(t.get(0))).containsExactly("Dr assets:cash:provider 500.00",
                "Cr suspense:collections:conciliation_batches:b1 500.00");
        assertThat(lines(t.get(1))).containsExactly(
                "Dr suspense:collections:conciliation_batches:b1 500.00 reverses " + first,
                "Cr assets:cash:provider 500.00 reverses " + first,
                "Dr assets:cash:provider 300.00", "Cr suspense:collections:conciliation_batches:b1 300.00");
        assertThat(balance("assets:cash:provider", "2025-06-13")).isEqualByComparingTo("500");
        assertThat(balance("assets:cash:provider", "2025-06-14")).isEqualByComparingTo("300");
    }

    @Test
    void aRevisedPaymentReversesTheEarlierAmountAndAResentOneAddsNothing() {
        long first = fold(status("i1", InstallmentStatus.PAID, "100", payment("k1", "100", "2026-02-10T10:00")));
        fold(status("i1", InstallmentStatus.PAID, "90", payment("k1", "90", "2026-02-11T10:00")));
        fold(status("i1", InstallmentStatus.PAID, "90", payment("k1", "90.00", "2026-02-11T10:00")));

        List<Transaction> t = journal().transactions();
        assertThat(t).hasSize(2);
        assertThat(lines(t.get(1))).containsExactly(
                "Dr assets:receivables:installments:debt-i1:i1 100 reverses " + first,
                "Cr suspense:payments:installments:debt-i1:i1 100 reverses " + first,
                "Dr suspense:payments:installments:debt-i1:i1 90",
                "Cr assets:receivables:installments:debt-i1:i1 90");
        assertThat(balance("assets:receivables:installments:debt-i1:i1", "2026-02-11")).isEqualByComparingTo("-90");
    }

    @Test
    void anEntitysAccountsAreThePrefixesOfItsPostingsNotRowsAndAreListedBalancedAndStated() {
        fold(status("i1", InstallmentStatus.PAID, "100", payment("k1", "100", "2026-02-10T10:00")));
        fold(status("i2", InstallmentStatus.PAID, "40", payment("k2", "40", "2026-02-12T10:00")));
        fold(settled("s1", "7.5", "2026-02-11T10:00"));

        // journal_account holds the fixed accounts and the prefixes above them, no entity's address (V30)
        assertThat(db.jdbc.sql("SELECT address FROM journal_account ORDER BY address").query(String.class).list())
                .contains("assets", "assets:receivables:installments", "suspense:collections:bank_slips")
                .noneMatch(a -> a.contains("debt-i") || a.contains(":s1") || a.contains(":i1"));
        // an entity's address and one between it and its fixed account are accounts all the same
        assertThat(balance("assets:receivables:installments:debt-i1", "2026-02-11")).isEqualByComparingTo("-100");
        assertThat(balance("assets:receivables:installments:debt-i1:i1", "2026-02-09")).isEqualByComparingTo("0");
        assertThat(db.queries.balances(new FindAccountBalances(LocalDate.parse("2026-02-11"),
                "assets:receivables:installments:debt-i3", 1))).isEmpty();
        // a listing reaches below a fixed account into its entities', and a fixed account whose only
        // children are entities' is not a leaf
        AccountBalances receivables = db.queries.balances(new FindAccountBalances(LocalDate.parse("2026-02-12"),
                "assets", 4)).orElseThrow();
        assertThat(receivables.accounts()).extracting(a -> a.address() + " " + a.balance().toPlainString())
                .containsExactly("assets:cash:provider 7.5", "assets:receivables:installments:debt-i1:i1 -100",
                        "assets:receivables:installments:debt-i2:i2 -40");
        AccountBalances debts = db.queries.balances(new FindAccountBalances(LocalDate.parse("2026-02-11"),
                "assets:receivables:installments", 1)).orElseThrow();
        assertThat(debts.accounts()).extracting(AccountBalance::address)
                .containsExactly("assets:receivables:installments:debt-i1"); // debt-i2 posts the next day
        AccountBalances oneDebt = db.queries.balances(new FindAccountBalances(LocalDate.parse("2026-02-12"),
                "assets:receivables:installments:debt-i2", 1)).orElseThrow();
        assertThat(oneDebt.accounts()).extracting(AccountBalance::address)
                .containsExactly("assets:receivables:installments:debt-i2:i2");
        AccountBalances slip = db.queries.balances(new FindAccountBalances(LocalDate.parse("2026-02-12"),
                "suspense:collections:bank_slips:s1", 1)).orElseThrow();
        assertThat(slip.accounts()).extracting(a -> a.address() + " " + a.balance().toPlainString())
                .containsExactly("suspense:collections:bank_slips:s1 -7.5");
        AccountStatement debt = db.queries.statement(new FindAccountStatement("assets:receivables:installments:debt-i1",
                LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-28"))).orElseThrow();
        assertThat(debt.postings()).extracting(l -> l.account() + " " + l.balance().toPlainString())
                .containsExactly("assets:receivables:installments:debt-i1:i1 -100");
        assertThat(db.trialBalance("2026-02-12").balanced()).isTrue();
    }

    @Test
    void aWriteOffMovesTheAmountInTransitToWriteOffsAndRefusalsAndCollateralHaveTheirAccounts() {
        fold(notice("s2", "40", "2024-01-05T10:00"));
        fold(writtenOff("s2", "2024-01-20T10:00"));
        fold(tedRefused("d1", "483.6", "invalid account", "2022-11-07T10:00"));
        fold(pixRefused("d1", "no match", "2025-03-18T10:00"));
        long locked = fold(collateral("d1", "1500", "2025-07-10T10:00", true, "500", "500", "500"));
        fold(new DebtCanceledPermanently("d1", FinanceEvents.sp("2025-08-01T10:00"), FinanceEvents.RECORDED));

        List<Transaction> t = journal().transactions();
        assertThat(t).extracting(Transaction::eventType).containsExactly("DebtCanceled", "BankSlipPaymentNotified",
                "BankSlipWrittenOff", "CollateralConstituted", "DebtCanceledPermanently");
        assertThat(lines(t.get(0))).containsExactly("Dr assets:cash:provider 483.6",
                "Cr suspense:refused_disbursements:d1 483.6");
        assertThat(lines(t.get(2))).containsExactly("Dr expenses:write_offs:bank_slips:s2 40",
                "Cr assets:in_transit:bank_slips:s2 40");
        assertThat(lines(t.get(4))).containsExactly("Dr memo:collateral:pledged:d1 1500 reverses " + locked,
                "Cr memo:collateral:locked:d1 1500 reverses " + locked);
        assertThat(balance("memo:collateral:locked", "2025-07-31")).isEqualByComparingTo("1500");
        assertThat(balance("memo", "2025-08-01")).isEqualByComparingTo("0");
        assertThat(balance("memo:collateral:locked", "2025-08-01")).isEqualByComparingTo("0");
        assertThat(db.trialBalance("2025-07-31").memorandum().debits()).isEqualByComparingTo("1500");
    }

    @Test
    void aBackDatedPostingWritesOnlyItsOwnDayMonthAndYearAndBalancesFollowIt() {
        fold(settled("late", "10", "2024-05-20T10:00"));
        List<String> before = db.tables().get("journal_balance");
        fold(settled("early", "5.25", "2024-05-10T10:00"));

        // constant work per posting however far back it is dated: three rows of each posting's fixed account
        // (assets:cash:provider, suspense:collections:bank_slips), none for the prefixes above them (assets,
        // assets:cash, suspense, suspense:collections: summed from the fixed accounts below them, V29) nor for
        // the one slip's own address (summed from its postings)
        List<String> written = new ArrayList<>(db.tables().get("journal_balance"));
        written.removeAll(before);
        assertThat(written).hasSize(3 * 2).noneMatch(row -> row.contains("bank_slips:early"))
                .allSatisfy(row -> assertThat(row).containsAnyOf("\"account\": \"assets:cash:provider\"",
                        "\"account\": \"suspense:collections:bank_slips\""))
                .allSatisfy(row -> assertThat(List.of("D 2024-05-10", "M 2024-05-01", "Y 2024-01-01"))
                        .as(row).anyMatch(span -> row.contains("\"span\": \"" + span.substring(0, 1) + "\"")
                                && row.contains("\"period\": \"" + span.substring(2) + "\"")));
        fold(settled("middle", "1", "2024-05-15T10:00"));

        assertThat(balance("assets:cash:provider", "2024-05-10")).isEqualByComparingTo("5.25");
        assertThat(balance("assets:cash:provider", "2024-05-19")).isEqualByComparingTo("6.25");
        assertThat(balance("assets:cash:provider", "2024-05-20")).isEqualByComparingTo("16.25");
        assertThat(balance("assets", "2024-05-19")).isEqualByComparingTo("6.25");
        assertThat(balance("suspense:collections", "2024-05-20")).isEqualByComparingTo("-16.25");
        AccountStatement s = db.queries.statement(new FindAccountStatement("assets:cash:provider",
                LocalDate.parse("2024-05-12"), LocalDate.parse("2024-05-31"))).orElseThrow();
        assertThat(s.openingBalance()).isEqualByComparingTo("5.25");
        assertThat(s.postings()).extracting(l -> l.balance().toPlainString()).containsExactly("6.25", "16.25");
        assertThat(s.closingBalance()).isEqualByComparingTo("16.25");
        assertThat(db.queries.statement(new FindAccountStatement("assets:nothing", LocalDate.parse("2024-05-12"),
                LocalDate.parse("2024-05-31")))).isEmpty();

        AccountBalances byClass = db.queries.balances(new FindAccountBalances(LocalDate.parse("2024-05-31"), null, 1))
                .orElseThrow();
        assertThat(byClass.accounts()).extracting(AccountBalance::address).containsExactly("assets", "suspense");
        assertThat(byClass.debits()).isEqualByComparingTo(byClass.credits());
        AccountBalances slips = db.queries.balances(new FindAccountBalances(LocalDate.parse("2024-05-31"),
                "suspense:collections", 2)).orElseThrow();
        assertThat(slips.accounts()).extracting(AccountBalance::address).containsExactly(
                "suspense:collections:bank_slips:early", "suspense:collections:bank_slips:late",
                "suspense:collections:bank_slips:middle");
        assertThat(slips.balance()).isEqualByComparingTo("-16.25");
        assertThat(db.queries.balances(new FindAccountBalances(LocalDate.parse("2024-05-31"), "assets:cas", 1)))
                .isEmpty();
        AccountBalances leaf = db.queries.balances(new FindAccountBalances(LocalDate.parse("2024-05-19"),
                "assets:cash:provider", 1)).orElseThrow();
        assertThat(leaf.accounts()).containsExactly(new AccountBalance("assets:cash:provider",
                new BigDecimal("6.25"), BigDecimal.ZERO, new BigDecimal("6.25")));
        AccountBalances deep = db.queries.balances(new FindAccountBalances(LocalDate.parse("2024-05-31"), "assets",
                5)).orElseThrow();
        assertThat(deep.accounts()).extracting(AccountBalance::address).containsExactly("assets:cash:provider");
    }

    @Test
    void anEventHandledAgainAddsNothing() {
        fold(settled("s1", "10", "2024-05-20T10:00"));
        db.fold(folded.get(0), 1);
        assertThat(journal().transactions()).hasSize(1);
        assertThat(balance("assets:cash:provider", "2024-05-20")).isEqualByComparingTo("10");
    }

    @Test
    void anEntitysFirstEventIsDraftedWithoutReadingFiguresAndALaterOneReadsThem() {
        // a figure planted for s1 and s2 before their first events: only an event that is not its
        // entity's first may see it (an entity's first event has no figure to read, so none is read)
        plantInTransit("s1", "s2");
        List<EventMessage<?>> stored = JournalDatabase.asStored(List.of(
                JournalDatabase.message(settled("s1", "10", "2024-05-20T10:00"), 1),
                JournalDatabase.message(notice("s2", "7", "2024-05-20T10:00"), 2),
                JournalDatabase.message(settled("s2", "7", "2024-05-21T10:00"), 3)));
        db.fold(stored.get(0), 1);
        db.foldLiveBatches(stored.subList(1, 3), 2, 2);

        List<Transaction> t = journal().transactions();
        assertThat(lines(t.get(0))).as("s1's first event: no reversal of the planted figure")
                .containsExactly("Dr assets:cash:provider 10", "Cr suspense:collections:bank_slips:s1 10");
        assertThat(lines(t.get(1))).as("s2's first event, in a live batch")
                .containsExactly("Dr assets:in_transit:bank_slips:s2 7", "Cr suspense:collections:bank_slips:s2 7");
        assertThat(lines(t.get(2))).as("s2's second event reads the figure its first set")
                .containsExactly("Dr suspense:collections:bank_slips:s2 7 reverses 2",
                        "Cr assets:in_transit:bank_slips:s2 7 reverses 2",
                        "Dr assets:cash:provider 7", "Cr suspense:collections:bank_slips:s2 7");

        // the same first event as a plain message (no stream, no sequence) reads the planted figure
        db.reset();
        plantInTransit("s1");
        fold(settled("s1", "10", "2024-05-20T10:00"));
        assertThat(lines(journal().transactions().get(0)))
                .contains("Dr suspense:collections:bank_slips:s1 40 reverses 0");
    }

    /** A standing in-transit figure of 40 for each slip, as if an earlier event had set it at position 0. */
    private void plantInTransit(String... slips) {
        db.jdbc.sql("""
                        INSERT INTO journal_figure (entity, entity_key, figure, amount, debit_account, credit_account,
                            position, effective_date)
                        SELECT 'bank-slips', k, 'in_transit', 40, 'assets:in_transit:bank_slips:' || k,
                               'suspense:collections:bank_slips:' || k, 0, DATE '2024-05-01'
                        FROM unnest(CAST(:slips AS VARCHAR[])) AS k
                        """).param("slips", slips).update();
    }

    /** Inserts journal transactions: {@code values} are rows of the columns below. */
    private int transactions(String values) {
        return db.jdbc.sql("INSERT INTO journal_transaction (position, event_id, event_type, entity, entity_key, "
                + "effective_date, recorded_at, debits, credits) VALUES " + values).update();
    }

    /** Inserts postings: {@code values} are rows of the columns below. */
    private int postings(String values) {
        return db.jdbc.sql("INSERT INTO journal_posting (position, line, account, debit, credit, effective_date) "
                + "VALUES " + values).update();
    }

    @Test
    void theDatabaseRefusesAnUnbalancedTransaction() {
        assertThatThrownBy(() -> db.transactions.executeWithoutResult(tx -> {
            transactions("""
                    (99, 'e-99', 'Test', 'bank-slips', 'x', DATE '2024-01-01', now(), 10, 10)
                    """);
            postings("""
                    (99, 0, 'assets:cash:provider', 10, 0, DATE '2024-01-01'),
                    (99, 1, 'suspense:x', 0, 9.99, DATE '2024-01-01')
                    """);
        })).as("refused at commit, by the deferred trigger").isInstanceOf(TransactionSystemException.class)
                .rootCause().hasMessageContaining("unbalanced journal transaction at position 99");
        assertThatThrownBy(() -> transactions("""
                    (98, 'e-98', 'Test', 'bank-slips', 'x', DATE '2024-01-01', now(), 10, 9)
                """)).isInstanceOf(DataAccessException.class).hasMessageContaining("journal_transaction_balanced");
        assertThat(journal().transactions()).isEmpty();
    }

    @Test
    void eachTransactionIsCheckedWholeOnceAndAnUnbalancedOneAmongBalancedOnesIsRefused() {
        // the check runs once per transaction at commit: a later posting of it cannot slip past (the sums
        // are the transaction's whole), and one unbalanced transaction among others is named
        assertThatThrownBy(() -> db.transactions.executeWithoutResult(tx -> {
            transactions("""
                    (97, 'e-97', 'Test', 'bank-slips', 'x', DATE '2024-01-01', now(), 10, 10),
                    (98, 'e-98', 'Test', 'bank-slips', 'y', DATE '2024-01-01', now(), 20, 20)
                    """);
            postings("""
                    (97, 0, 'assets:cash:provider', 10, 0, DATE '2024-01-01'),
                    (97, 1, 'suspense:x', 0, 10, DATE '2024-01-01'),
                    (98, 0, 'assets:cash:provider', 10, 0, DATE '2024-01-01'),
                    (98, 1, 'suspense:y', 0, 10, DATE '2024-01-01'),
                    (98, 2, 'assets:cash:provider', 10, 0, DATE '2024-01-01'),
                    (98, 3, 'suspense:y', 0, 9.99, DATE '2024-01-01')
                    """);
        })).isInstanceOf(TransactionSystemException.class)
                .rootCause().hasMessageContaining("unbalanced journal transaction at position 98");
        // a later statement of the same transaction is checked again (here with the check made immediate)
        assertThatThrownBy(() -> db.transactions.executeWithoutResult(tx -> {
            db.jdbc.sql("SET CONSTRAINTS journal_posting_balanced IMMEDIATE").update();
            transactions("""
                    (96, 'e-96', 'Test', 'bank-slips', 'x', DATE '2024-01-01', now(), 10, 10)
                    """);
            postings("""
                    (96, 0, 'assets:cash:provider', 10, 0, DATE '2024-01-01'),
                    (96, 1, 'suspense:x', 0, 10, DATE '2024-01-01')
                    """);
            postings("""
                    (96, 2, 'suspense:x', 0, 1, DATE '2024-01-01')
                    """);
        })).isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("unbalanced journal transaction at position 96");
        assertThat(journal().transactions()).isEmpty();
    }

    @Test
    void docsFinanceMdHasTheCodesTableOfEventsToPostings() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "finance.md"));
        assertThat(page).contains(JournalRule.markdownTable());
        List<String> documentedRows = page.lines().filter(l -> l.startsWith("| `") && l.contains("` | `"))
                .filter(l -> l.split("\\|").length == JournalRule.COLUMNS.size() + 1)
                .collect(Collectors.toList());
        assertThat(documentedRows).containsExactlyElementsOf(
                java.util.Arrays.stream(JournalRule.values()).map(JournalRule::markdownRow).toList());
    }

}
