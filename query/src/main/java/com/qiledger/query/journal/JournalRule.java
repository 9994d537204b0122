package com.qiledger.query.journal;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The mapping from each monetary event to its postings: one row per rule, the same table as in
 * docs/finance.md ({@link #markdownTable()} renders it, and a test compares the two). Each rule sets
 * one standing <em>figure</em> of an entity (the amount in transit of a slip, a payment key's amount,
 * a batch's conciliated amount...) by debiting {@link #debit} and crediting {@link #credit}; when an
 * event changes a figure that was already posted, the earlier posting is reversed in the event's own
 * transaction (a reversing posting names the transaction it takes back) and the new figure is posted:
 * a correction is never an edit. {@code <slip>}, {@code <debt>}... in the addresses are the entity's keys.
 */
public enum JournalRule {

    SLIP_PAYMENT_NOTIFIED("`BankSlipPaymentNotified`, `BankSlipNotaryPaymentNotified`", "in_transit",
            "assets:in_transit:bank_slips:<slip>", "suspense:collections:bank_slips:<slip>",
            "`paid_amount`",
            "a later notice with another amount reverses the earlier one"),
    SLIP_SETTLED("`BankSlipPaid`", "settled",
            "assets:cash:provider", "suspense:collections:bank_slips:<slip>",
            "`paid_amount`",
            "the slip's amount in transit is reversed in the same transaction; a later `paid` with another "
                    + "amount reverses the earlier"),
    SLIP_WRITTEN_OFF("`BankSlipWrittenOff`", "in_transit",
            "expenses:write_offs:bank_slips:<slip>", "assets:in_transit:bank_slips:<slip>",
            "the slip's amount in transit",
            "no transaction when nothing is in transit (a write-off carries no amount)"),
    INSTALLMENT_BILLED("`InstallmentBillingIssued` (current billing)", "billing",
            "assets:receivables:installments:<debt>:<installment>", "income:installments:<debt>:<installment>",
            "`total_amount`",
            "a new current billing with another total reverses the earlier"),
    INSTALLMENT_PAID("`InstallmentStatusChanged` (each new payment)", "payment:<payment key>",
            "suspense:payments:installments:<debt>:<installment>",
            "assets:receivables:installments:<debt>:<installment>",
            "`paid_amount`",
            "a payment key reported again with another amount reverses the earlier"),
    DDA_PAID("`DdaBankSlipRegistered`, `DdaBankSlipUpdated` (current snapshot `paid` or `partially_paid`)", "paid",
            "assets:receivables:dda:<slip>", "assets:cash:provider",
            "`total_payment_amount` (`paid`), the sum of partial payments (`partially_paid`)",
            "a later current snapshot with another amount reverses the earlier"),
    BATCH_CONCILIATED("`ConciliationBatchCreated`, `ConciliationBatchFiguresReported` (current figures)",
            "conciliated",
            "assets:cash:provider", "suspense:collections:conciliation_batches:<batch>",
            "`conciliated_amount`",
            "a lower (or any other) current figure reverses the earlier"),
    DISBURSEMENT_REFUSED("`DebtCanceled` (TED refusal)", "refusal:<transaction key>",
            "assets:cash:provider", "suspense:refused_disbursements:<debt>",
            "TED `amount`",
            "a Pix refusal carries no amount: no transaction"),
    COLLATERAL_LOCKED("`CollateralConstituted`, `CollateralReported` (current collateral)", "collateral",
            "memo:collateral:locked:<debt>", "memo:collateral:pledged:<debt>",
            "`total_gross_amount_lock`",
            "memorandum; a new current collateral with another total reverses the earlier"),
    COLLATERAL_RELEASED("`DebtCanceledPermanently`", "collateral",
            "memo:collateral:pledged:<debt>", "memo:collateral:locked:<debt>",
            "the standing lock",
            "reverses the standing collateral (released)");

    /** The columns of the table, as docs/finance.md heads them. */
    public static final List<String> COLUMNS = List.of("rule", "event", "figure", "debit", "credit", "amount",
            "correction");

    private final String events;
    private final String figure;
    private final String debit;
    private final String credit;
    private final String amount;
    private final String correction;

    JournalRule(String events, String figure, String debit, String credit, String amount, String correction) {
        this.events = events;
        this.figure = figure;
        this.debit = debit;
        this.credit = credit;
        this.amount = amount;
        this.correction = correction;
    }

    /** The debit address for the entity's keys, in the order its placeholders appear (a fixed address takes none). */
    public String debit(String... keys) {
        return fill(debit, keys);
    }

    public String credit(String... keys) {
        return fill(credit, keys);
    }

    /** The rule's name as the table shows it: {@code slip_payment_notified}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fill(String template, String... keys) {
        StringBuilder out = new StringBuilder();
        int key = 0;
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('<', at);
            if (open < 0) {
                out.append(template, at, template.length());
                break;
            }
            int close = template.indexOf('>', open);
            out.append(template, at, open).append(Accounts.segment(keys[key++]));
            at = close + 1;
        }
        return out.toString();
    }

    /** This rule as a row of the Markdown table. */
    public String markdownRow() {
        return "| `" + label() + "` | " + events + " | `" + figure + "` | `" + debit + "` | `" + credit + "` | "
                + amount + " | " + correction + " |";
    }

    /** The whole table: header, separator, one row per rule. */
    public static String markdownTable() {
        return "| " + String.join(" | ", COLUMNS) + " |\n"
                + COLUMNS.stream().map(c -> "---").collect(Collectors.joining("|", "|", "|")) + "\n"
                + Arrays.stream(values()).map(JournalRule::markdownRow).collect(Collectors.joining("\n")) + "\n";
    }

    /**
     * How many leading segments of {@code account} are fixed by its rule's address: all of them for a
     * fixed address ({@code assets:cash:provider}), the segments before the first key for an entity's
     * address ({@code suspense:collections:bank_slips} of {@code suspense:collections:bank_slips:<slip>}).
     * An address and prefix up to that depth aggregates many entities and keeps balances per day, month
     * and year; one deeper belongs to one entity, has a few postings, and is summed from them.
     */
    public static int fixedDepth(String account) {
        int depth = Accounts.depth(account);
        for (Template template : TEMPLATES) {
            if (depth == template.depth() && account.startsWith(template.prefix())) {
                return template.fixedDepth();
            }
        }
        return depth;
    }

    /**
     * The fixed parts of the addresses with keys ({@code suspense:collections:bank_slips} of
     * {@code suspense:collections:bank_slips:<slip>}), each with the depth of its deepest address: the
     * entities' own accounts are the addresses below them, deeper than the fixed part, down to that depth.
     */
    public static java.util.Map<String, Integer> keyedBelow() {
        return KeyedBelow.MAP;
    }

    /** Computed once, when first asked for (after {@link #TEMPLATES}). */
    private static final class KeyedBelow {

        static final java.util.Map<String, Integer> MAP;

        static {
            java.util.Map<String, Integer> below = new java.util.TreeMap<>();
            for (Template template : TEMPLATES) {
                below.merge(template.prefix().substring(0, template.prefix().length() - 1), template.depth(),
                        Math::max);
            }
            MAP = java.util.Collections.unmodifiableMap(below);
        }
    }

    /** An address with keys: its fixed part followed by {@code :}, its depth, and the fixed part's depth. */
    private record Template(String prefix, int depth, int fixedDepth) {
    }

    /** The address templates with keys, from the rules' debit and credit addresses (read once per posting). */
    private static final List<Template> TEMPLATES = Arrays.stream(values())
            .flatMap(r -> java.util.stream.Stream.of(r.debit, r.credit))
            .filter(t -> t.contains("<"))
            .distinct()
            .map(t -> {
                String fixed = t.substring(0, t.indexOf('<') - 1);
                return new Template(fixed + ":", Accounts.depth(t), Accounts.depth(fixed));
            })
            .toList();
}
