package com.qiledger.query.journal;

import static com.qiledger.query.support.Sql.instant;

import com.qiledger.query.journal.JournalReads.AccountBalance;
import com.qiledger.query.journal.JournalReads.AccountBalances;
import com.qiledger.query.journal.JournalReads.AccountStatement;
import com.qiledger.query.journal.JournalReads.FindAccountBalances;
import com.qiledger.query.journal.JournalReads.FindAccountStatement;
import com.qiledger.query.journal.JournalReads.FindJournal;
import com.qiledger.query.journal.JournalReads.FindTrialBalance;
import com.qiledger.query.journal.JournalReads.Journal;
import com.qiledger.query.journal.JournalReads.Memorandum;
import com.qiledger.query.journal.JournalReads.StatementLine;
import com.qiledger.query.journal.JournalReads.Transaction;
import com.qiledger.query.journal.JournalReads.TrialBalance;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Answers the journal's queries from the tables of {@link JournalProjection}. A balance as of a date
 * is the sum of at most one row per year before it, eleven month rows and thirty-one day rows of each
 * fixed account at or below its address ({@code journal_balance}, ranges of its primary key; V29), never
 * a sum over the postings except for one entity's few; listings are ordered by fixed keys, so the same
 * events give the same answer.
 */
@Component
public class JournalQueries {

    /**
     * The balance of {@code a.address} up to the end of {@code :asOf} (V29's {@code journal_balance_as_of}:
     * the years, months and days before it of the fixed accounts at or below it); an account with nothing
     * posted by then has no row.
     */
    private static final String BALANCE_AS_OF = """
            JOIN LATERAL journal_balance_as_of(a.address, CAST(:asOf AS date)) bal ON true
            """;

    /**
     * Whether an address has an account below it: a row of {@code journal_account} below it, or a posting
     * below it (an entity's accounts are the prefixes of its postings' accounts, V30); each one index range
     * ({@code ';'} follows {@code ':'}).
     */
    private static String hasChild(String address) {
        return ("(EXISTS (SELECT 1 FROM journal_account c WHERE c.address > %1$s || ':' AND c.address < %1$s || ';')"
                + " OR EXISTS (SELECT 1 FROM journal_posting c WHERE c.account > %1$s || ':' AND c.account < %1$s || ';'))")
                .formatted(address);
    }

    /**
     * An entity's accounts of one depth below {@code :rangeN}: the distinct prefixes of that depth of the
     * accounts of the postings below it (V30: they are not rows of {@code journal_account}).
     */
    private static final String ENTITY_ACCOUNTS = "SELECT DISTINCT array_to_string((string_to_array(p.account, ':'))[1 : %1$d], ':') "
            + "COLLATE \"C\" AS address FROM journal_posting p WHERE p.account > :range%2$d || ':' "
            + "AND p.account < :range%2$d || ';' AND cardinality(string_to_array(p.account, ':')) >= %1$d";

    private final JdbcClient jdbc;

    public JournalQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    public Journal journal(FindJournal query) {
        Map<Long, List<Posting>> postings = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT p.position, p.line, p.account, p.debit, p.credit, p.reverses
                        FROM journal_posting p
                        WHERE p.effective_date BETWEEN :from AND :to
                        ORDER BY p.position, p.line
                        """)
                .param("from", query.from(), Types.DATE)
                .param("to", query.to(), Types.DATE)
                .query(rs -> {
                    postings.computeIfAbsent(rs.getLong("position"), p -> new ArrayList<>()).add(new Posting(
                            rs.getInt("line"), rs.getString("account"), positive(rs.getBigDecimal("debit")),
                            positive(rs.getBigDecimal("credit")), (Long) rs.getObject("reverses")));
                });
        List<Transaction> transactions = jdbc.sql("""
                        SELECT * FROM journal_transaction WHERE effective_date BETWEEN :from AND :to
                        ORDER BY effective_date, position
                        """)
                .param("from", query.from(), Types.DATE)
                .param("to", query.to(), Types.DATE)
                .query((rs, n) -> new Transaction(rs.getLong("position"), rs.getString("event_id"),
                        rs.getString("event_type"), rs.getString("entity"), rs.getString("entity_key"),
                        rs.getString("receipt_id"), rs.getObject("effective_date", LocalDate.class),
                        instant(rs.getTimestamp("recorded_at")), rs.getBigDecimal("debits"),
                        rs.getBigDecimal("credits"), postings.getOrDefault(rs.getLong("position"), List.of())))
                .list();
        return new Journal(query.from(), query.to(),
                transactions.stream().map(Transaction::debits).reduce(BigDecimal.ZERO, BigDecimal::add),
                transactions.stream().map(Transaction::credits).reduce(BigDecimal.ZERO, BigDecimal::add),
                transactions);
    }

    @QueryHandler
    public Optional<AccountBalances> balances(FindAccountBalances query) {
        String prefix = query.prefix();
        int prefixDepth = prefix == null ? 0 : Accounts.depth(prefix);
        AccountBalance total;
        if (prefix == null) {
            total = null;
        } else {
            Optional<AccountBalance> own = balance(prefix, query.asOf());
            if (own.isEmpty()) {
                return Optional.empty();
            }
            total = own.get();
        }
        int target = prefixDepth + query.depth();
        // per depth: one index range of journal_account_depth_idx (the fixed accounts of that depth under
        // the prefix, and the prefixes above them) and, below each fixed part of an address with keys that
        // overlaps the prefix, one range of journal_posting_account_idx (the entities' accounts, V30)
        String range = prefix == null ? "" : " AND a.address >= :below AND a.address < :after";
        List<String> ranges = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (int depth = prefixDepth + 1; depth <= target; depth++) {
            List<String> nodes = new ArrayList<>();
            nodes.add("SELECT a.address FROM journal_account a WHERE a.depth = " + depth + range);
            for (Map.Entry<String, Integer> keyed : JournalRule.keyedBelow().entrySet()) {
                String fixed = keyed.getKey();
                if (Accounts.depth(fixed) >= depth || keyed.getValue() < depth) {
                    continue;
                }
                String below = prefix == null || fixed.startsWith(prefix + ":") ? fixed
                        : prefix.equals(fixed) || prefix.startsWith(fixed + ":") ? prefix : null;
                if (below != null) {
                    nodes.add(ENTITY_ACCOUNTS.formatted(depth, ranges.size()));
                    ranges.add(below);
                }
            }
            parts.add("(SELECT a.address, bal.debits, bal.credits FROM (" + String.join(" UNION ", nodes) + ") a "
                    + BALANCE_AS_OF + (depth == target ? "" : " WHERE NOT " + hasChild("a.address")) + ")");
        }
        JdbcClient.StatementSpec statement = jdbc.sql(String.join(" UNION ALL ", parts) + " ORDER BY 1")
                .param("asOf", query.asOf(), Types.DATE);
        if (prefix != null) {
            statement = statement.param("below", prefix + ":").param("after", prefix + ";");
        }
        for (int i = 0; i < ranges.size(); i++) {
            statement = statement.param("range" + i, ranges.get(i));
        }
        List<AccountBalance> accounts = statement
                .query((rs, n) -> AccountBalance.of(rs.getString("address"), rs.getBigDecimal("debits"),
                        rs.getBigDecimal("credits")))
                .list();
        if (prefix != null && accounts.isEmpty() && !hasChildren(prefix)) {
            accounts = List.of(total); // an account, not a prefix: it is its own listing
        }
        if (total == null) {
            BigDecimal debits = accounts.stream().map(AccountBalance::debits).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal credits = accounts.stream().map(AccountBalance::credits).reduce(BigDecimal.ZERO, BigDecimal::add);
            total = AccountBalance.of(null, debits, credits);
        }
        return Optional.of(new AccountBalances(query.asOf(), prefix, query.depth(), total.debits(), total.credits(),
                total.balance(), accounts));
    }

    private boolean hasChildren(String address) {
        return jdbc.sql("SELECT " + hasChild(":address"))
                .param("address", address)
                .query(Boolean.class)
                .single();
    }

    /**
     * The balance of one address as of a date (zero before its first posting); empty when it names no
     * account: neither a row of {@code journal_account} nor a prefix of a posting's account (V30).
     */
    Optional<AccountBalance> balance(String address, LocalDate asOf) {
        return jdbc.sql("""
                        SELECT a.address, COALESCE(bal.debits, 0) AS debits, COALESCE(bal.credits, 0) AS credits
                        FROM (SELECT CAST(:address AS text) COLLATE "C" AS address) a
                        LEFT JOIN LATERAL journal_balance_as_of(a.address, CAST(:asOf AS date)) bal ON true
                        WHERE EXISTS (SELECT 1 FROM journal_account c WHERE c.address = a.address)
                           OR EXISTS (SELECT 1 FROM journal_posting p WHERE p.account = a.address)
                           OR """ + hasChild("a.address"))
                .param("address", address)
                .param("asOf", asOf, Types.DATE)
                .query((rs, n) -> AccountBalance.of(rs.getString("address"), rs.getBigDecimal("debits"),
                        rs.getBigDecimal("credits")))
                .optional();
    }

    @QueryHandler
    public Optional<AccountStatement> statement(FindAccountStatement query) {
        Optional<AccountBalance> opening = balance(query.address(), query.from().minusDays(1));
        if (opening.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal[] running = {opening.get().balance()};
        List<StatementLine> lines = jdbc.sql("""
                        SELECT p.effective_date, p.position, p.line, p.account, p.debit, p.credit, p.reverses,
                               t.event_id, t.event_type, t.entity, t.entity_key, t.receipt_id
                        FROM journal_posting p JOIN journal_transaction t ON t.position = p.position
                        WHERE (p.account = :address OR (p.account >= :address || ':' AND p.account < :address || ';'))
                          AND p.effective_date BETWEEN :from AND :to
                        ORDER BY p.effective_date, p.position, p.line
                        """)
                .param("address", query.address())
                .param("from", query.from(), Types.DATE)
                .param("to", query.to(), Types.DATE)
                .query((rs, n) -> {
                    BigDecimal debit = rs.getBigDecimal("debit");
                    BigDecimal credit = rs.getBigDecimal("credit");
                    running[0] = running[0].add(debit).subtract(credit);
                    return new StatementLine(rs.getObject("effective_date", LocalDate.class), rs.getLong("position"),
                            rs.getInt("line"), rs.getString("account"), rs.getString("event_id"),
                            rs.getString("event_type"), rs.getString("entity"), rs.getString("entity_key"),
                            rs.getString("receipt_id"), positive(debit), positive(credit), running[0],
                            (Long) rs.getObject("reverses"));
                })
                .list();
        BigDecimal debits = lines.stream().map(StatementLine::debit).filter(d -> d != null)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal credits = lines.stream().map(StatementLine::credit).filter(c -> c != null)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return Optional.of(new AccountStatement(query.address(), query.from(), query.to(), opening.get().balance(),
                debits, credits, opening.get().balance().add(debits).subtract(credits), lines));
    }

    @QueryHandler
    public TrialBalance trialBalance(FindTrialBalance query) {
        List<AccountBalance> accounts = jdbc.sql("SELECT a.address, bal.debits, bal.credits FROM journal_account a "
                        + BALANCE_AS_OF + " WHERE a.depth <= 2 ORDER BY a.address")
                .param("asOf", query.asOf(), Types.DATE)
                .query((rs, n) -> AccountBalance.of(rs.getString("address"), rs.getBigDecimal("debits"),
                        rs.getBigDecimal("credits")))
                .list();
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        BigDecimal memoDebits = BigDecimal.ZERO;
        BigDecimal memoCredits = BigDecimal.ZERO;
        for (AccountBalance a : accounts) {
            if (Accounts.depth(a.address()) != 1) {
                continue;
            }
            if (Accounts.MEMO.equals(a.address())) {
                memoDebits = memoDebits.add(a.debits());
                memoCredits = memoCredits.add(a.credits());
            } else {
                debits = debits.add(a.debits());
                credits = credits.add(a.credits());
            }
        }
        boolean memoBalanced = memoDebits.compareTo(memoCredits) == 0;
        return new TrialBalance(query.asOf(), debits, credits, debits.compareTo(credits) == 0 && memoBalanced,
                new Memorandum(memoDebits, memoCredits, memoBalanced), accounts);
    }

    /** A posting's side: the amount when positive, else null (the other side holds it). */
    private static BigDecimal positive(BigDecimal amount) {
        return amount != null && amount.signum() > 0 ? amount : null;
    }
}
