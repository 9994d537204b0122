package com.qiledger.query.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Account addresses: segments joined by {@code :}, the first one the class ({@code assets},
 * {@code liabilities}, {@code income}, {@code expenses}, {@code suspense}, {@code memo}); an address
 * aggregates every address it is a prefix of, segment by segment. A provider key becomes one segment:
 * {@code %} and {@code :} in it are percent-encoded, so that a key never splits into two segments.
 */
public final class Accounts {

    /** The balance-sheet and result classes; {@link #MEMO} is kept apart (memorandum accounts). */
    public static final List<String> CLASSES = List.of("assets", "liabilities", "income", "expenses", "suspense");
    public static final String MEMO = "memo";

    /**
     * A syntactically valid address: non-empty segments of at most 1,000 characters (a percent-encoded key
     * may be longer than the key), no control characters, at most ten segments.
     */
    private static final Pattern ADDRESS = Pattern.compile("[^:\\p{Cntrl}]{1,1000}(:[^:\\p{Cntrl}]{1,1000}){0,9}");

    private Accounts() {
    }

    /** The key as one segment of an address. */
    public static String segment(String key) {
        return key.replace("%", "%25").replace(":", "%3A");
    }

    /** Whether {@code address} is a well-formed address (it may still name no account). */
    public static boolean wellFormed(String address) {
        return address != null && ADDRESS.matcher(address).matches();
    }

    /** The address and every prefix of it, shortest first: {@code a}, {@code a:b}, {@code a:b:c}. */
    public static List<String> selfAndAncestors(String address) {
        List<String> nodes = new ArrayList<>();
        int at = address.indexOf(':');
        while (at >= 0) {
            nodes.add(address.substring(0, at));
            at = address.indexOf(':', at + 1);
        }
        nodes.add(address);
        return nodes;
    }

    public static int depth(String address) {
        int depth = 1;
        for (int i = address.indexOf(':'); i >= 0; i = address.indexOf(':', i + 1)) {
            depth++;
        }
        return depth;
    }

    /** The address one segment shorter; null for a class. */
    public static String parent(String address) {
        int at = address.lastIndexOf(':');
        return at < 0 ? null : address.substring(0, at);
    }

    /** The class of an address: its first segment. */
    public static String classOf(String address) {
        int at = address.indexOf(':');
        return at < 0 ? address : address.substring(0, at);
    }
}
