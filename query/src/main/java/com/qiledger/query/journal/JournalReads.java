package com.qiledger.query.journal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** The journal's queries and their answers (docs/finance.md, "The double-entry journal"). */
public final class JournalReads {

    private JournalReads() {
    }

    private static void period(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /** The transactions dated {@code from}..{@code to}, both included; answered with {@link Journal}. */
    public record FindJournal(LocalDate from, LocalDate to) {
        public FindJournal {
            period(from, to);
        }
    }

    public record Journal(LocalDate from, LocalDate to, BigDecimal debits, BigDecimal credits,
                          List<Transaction> transactions) {
        public Journal {
            transactions = List.copyOf(transactions);
        }
    }

    /** One transaction: the event it comes from, its entity and receipt, its postings. */
    public record Transaction(long position, String eventId, String eventType, String entity, String key,
                              String receipt, LocalDate effectiveDate, Instant recordedAt, BigDecimal debits,
                              BigDecimal credits, List<Posting> postings) {
        public Transaction {
            postings = List.copyOf(postings);
        }
    }

    /**
     * Balances as of the end of {@code asOf} of the accounts {@code depth} segments below
     * {@code prefix} (the classes when it is null), each aggregating every address it prefixes; an
     * account shallower than that with nothing below it is listed as itself, and so is the prefix when it
     * is an account with nothing below it. Answered with an
     * {@link AccountBalances}, or nothing when {@code prefix} names no account.
     */
    public record FindAccountBalances(LocalDate asOf, String prefix, int depth) {
        public FindAccountBalances {
            Objects.requireNonNull(asOf, "asOf");
            if (depth < 1) {
                throw new IllegalArgumentException("depth " + depth + " is below 1");
            }
        }
    }

    public record AccountBalances(LocalDate asOf, String prefix, int depth, BigDecimal debits, BigDecimal credits,
                                  BigDecimal balance, List<AccountBalance> accounts) {
        public AccountBalances {
            accounts = List.copyOf(accounts);
        }
    }

    /** An address's debits and credits up to a date, and its balance (debits minus credits). */
    public record AccountBalance(String address, BigDecimal debits, BigDecimal credits, BigDecimal balance) {

        static AccountBalance of(String address, BigDecimal debits, BigDecimal credits) {
            return new AccountBalance(address, debits, credits, debits.subtract(credits));
        }
    }

    /** The postings of an address (and of every address it prefixes) dated {@code from}..{@code to}. */
    public record FindAccountStatement(String address, LocalDate from, LocalDate to) {
        public FindAccountStatement {
            Objects.requireNonNull(address, "address");
            period(from, to);
        }
    }

    public record AccountStatement(String address, LocalDate from, LocalDate to, BigDecimal openingBalance,
                                   BigDecimal debits, BigDecimal credits, BigDecimal closingBalance,
                                   List<StatementLine> postings) {
        public AccountStatement {
            postings = List.copyOf(postings);
        }
    }

    /** One posting of a statement, with the balance after it. */
    public record StatementLine(LocalDate effectiveDate, long position, int line, String account, String eventId,
                                String eventType, String entity, String key, String receipt, BigDecimal debit,
                                BigDecimal credit, BigDecimal balance, Long reverses) {
    }

    /** The trial balance as of the end of {@code asOf}; answered with a {@link TrialBalance}. */
    public record FindTrialBalance(LocalDate asOf) {
        public FindTrialBalance {
            Objects.requireNonNull(asOf, "asOf");
        }
    }

    /**
     * Totals of every class but the memorandum one, which must close on its own: {@code balanced} when
     * both do. {@code accounts} are the classes and their direct children, memorandum ones included.
     */
    public record TrialBalance(LocalDate asOf, BigDecimal debits, BigDecimal credits, boolean balanced,
                               Memorandum memorandum, List<AccountBalance> accounts) {
        public TrialBalance {
            accounts = List.copyOf(accounts);
        }
    }

    public record Memorandum(BigDecimal debits, BigDecimal credits, boolean balanced) {
    }
}
