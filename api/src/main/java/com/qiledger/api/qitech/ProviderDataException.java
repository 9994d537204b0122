package com.qiledger.api.qitech;

/**
 * A delivery that cannot be read or translated; its message is the quarantine reason. A reason
 * read under {@link ProviderJson#at} carries where in the payload it happened, as
 * {@code <where>: <reason>} ({@code data.installments[1]: 'due_date' is not a date: 'soon'}).
 */
public class ProviderDataException extends RuntimeException {

    private final String where;
    private final String reason;

    public ProviderDataException(String reason) {
        this(null, reason);
    }

    private ProviderDataException(String where, String reason) {
        super(where == null ? reason : where + ": " + reason);
        this.where = where;
        this.reason = reason;
    }

    /**
     * This reason, located under {@code outer}: an unlocated reason gets {@code outer} as its place; a
     * located one gets {@code outer} joined to its own ({@code data} and {@code installment} make
     * {@code data.installment}, {@code events} and {@code [1]} make {@code events[1]}).
     */
    ProviderDataException under(String outer) {
        String joined = where == null ? outer : where.startsWith("[") ? outer + where : outer + "." + where;
        return new ProviderDataException(joined, reason);
    }
}
