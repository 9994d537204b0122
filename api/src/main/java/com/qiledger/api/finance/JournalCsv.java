package com.qiledger.api.finance;

import static com.qiledger.api.finance.FinanceCsv.money;
import static com.qiledger.api.finance.FinanceCsv.text;

import com.qiledger.query.journal.JournalReads.AccountBalance;
import com.qiledger.query.journal.JournalReads.AccountBalances;
import com.qiledger.query.journal.JournalReads.AccountStatement;
import com.qiledger.query.journal.JournalReads.Journal;
import com.qiledger.query.journal.JournalReads.StatementLine;
import com.qiledger.query.journal.JournalReads.Transaction;
import com.qiledger.query.journal.JournalReads.TrialBalance;
import com.qiledger.query.journal.Posting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV renderings of the journal's answers, as {@link FinanceCsv} writes the other finance reads: one
 * table each, amounts with two decimals. The journal is one row per posting (its transaction's
 * columns repeated); a statement's {@code section} is {@code opening}, {@code posting} or
 * {@code closing}; a balance listing's and the trial balance's first row ({@code section} {@code total})
 * holds the totals, then one row per account.
 */
final class JournalCsv {

    static final List<String> JOURNAL_COLUMNS = List.of("effective_date", "position", "line", "account", "debit",
            "credit", "reverses", "event_type", "entity", "key", "receipt", "event_id", "recorded_at");

    static final List<String> STATEMENT_COLUMNS = List.of("section", "effective_date", "position", "line",
            "account", "debit", "credit", "balance", "reverses", "event_type", "entity", "key", "receipt", "event_id");

    static final List<String> BALANCE_COLUMNS = List.of("section", "address", "debits", "credits", "balance",
            "balanced");

    private JournalCsv() {
    }

    static byte[] journal(Journal journal) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Transaction t : journal.transactions()) {
            for (Posting p : t.postings()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("effective_date", t.effectiveDate().toString());
                row.put("position", Long.toString(t.position()));
                row.put("line", Integer.toString(p.line()));
                row.put("account", p.account());
                row.put("debit", money(p.debit()));
                row.put("credit", money(p.credit()));
                row.put("reverses", text(p.reverses()));
                row.put("event_type", t.eventType());
                row.put("entity", t.entity());
                row.put("key", t.key());
                row.put("receipt", t.receipt());
                row.put("event_id", t.eventId());
                row.put("recorded_at", t.recordedAt().toString());
                rows.add(row);
            }
        }
        return FinanceCsv.write(JOURNAL_COLUMNS, rows);
    }

    static byte[] statement(AccountStatement s) {
        List<Map<String, String>> rows = new ArrayList<>();
        rows.add(edge("opening", s.from().toString(), s.address(), s.openingBalance()));
        for (StatementLine l : s.postings()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("section", "posting");
            row.put("effective_date", l.effectiveDate().toString());
            row.put("position", Long.toString(l.position()));
            row.put("line", Integer.toString(l.line()));
            row.put("account", l.account());
            row.put("debit", money(l.debit()));
            row.put("credit", money(l.credit()));
            row.put("balance", money(l.balance()));
            row.put("reverses", text(l.reverses()));
            row.put("event_type", l.eventType());
            row.put("entity", l.entity());
            row.put("key", l.key());
            row.put("receipt", l.receipt());
            row.put("event_id", l.eventId());
            rows.add(row);
        }
        Map<String, String> closing = edge("closing", s.to().toString(), s.address(), s.closingBalance());
        closing.put("debit", money(s.debits()));
        closing.put("credit", money(s.credits()));
        rows.add(closing);
        return FinanceCsv.write(STATEMENT_COLUMNS, rows);
    }

    private static Map<String, String> edge(String section, String date, String address, java.math.BigDecimal balance) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("section", section);
        row.put("effective_date", date);
        row.put("account", address);
        row.put("balance", money(balance));
        return row;
    }

    static byte[] balances(AccountBalances b) {
        List<Map<String, String>> rows = new ArrayList<>();
        rows.add(balanceRow("total", new AccountBalance(b.prefix(), b.debits(), b.credits(), b.balance()), null));
        b.accounts().forEach(a -> rows.add(balanceRow("account", a, null)));
        return FinanceCsv.write(BALANCE_COLUMNS, rows);
    }

    static byte[] trialBalance(TrialBalance t) {
        List<Map<String, String>> rows = new ArrayList<>();
        rows.add(balanceRow("total", new AccountBalance(null, t.debits(), t.credits(),
                t.debits().subtract(t.credits())), t.balanced()));
        rows.add(balanceRow("memorandum", new AccountBalance("memo", t.memorandum().debits(), t.memorandum().credits(),
                t.memorandum().debits().subtract(t.memorandum().credits())), t.memorandum().balanced()));
        t.accounts().forEach(a -> rows.add(balanceRow("account", a, null)));
        return FinanceCsv.write(BALANCE_COLUMNS, rows);
    }

    private static Map<String, String> balanceRow(String section, AccountBalance a, Boolean balanced) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("section", section);
        row.put("address", a.address());
        row.put("debits", money(a.debits()));
        row.put("credits", money(a.credits()));
        row.put("balance", money(a.balance()));
        row.put("balanced", text(balanced));
        return row;
    }
}
