package com.qiledger.api.qitech;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The domain limits of a delivery, checked before anything is expanded or stored (issue 26;
 * documented in {@code docs/hostile-input.md}). What is outside them is quarantined with a reason
 * naming the field, never applied and never retried: the raw bytes stay in the receipt.
 *
 * <ul>
 *   <li><b>Amounts</b> (every field read as money): at most {@value #AMOUNT_INTEGER_DIGITS} integer
 *   digits and {@value #AMOUNT_DECIMALS} decimals, as the provider's products carry them (its
 *   largest figures are in the hundreds of billions of reais, and it sends cents). Judged from the
 *   number's precision and scale, never by writing it out, so {@code 1e-999999999} costs
 *   microseconds. A JSON number may use an exponent; an amount sent as a string must be a plain
 *   decimal ({@code "6676.38"}).</li>
 *   <li><b>Any number</b> anywhere in the body: finite ({@code NaN} and {@code Infinity} are not
 *   decimals) and at most {@value #NUMBER_DIGITS} digits before and after the point; a number token
 *   longer than {@value #MAX_NUMBER_TOKEN} characters is refused by the parser itself.</li>
 *   <li><b>Text</b>: no string and no member name anywhere in the body may hold U+0000 or a lone
 *   surrogate (PostgreSQL's {@code text} and {@code jsonb} cannot store them); one rule everywhere:
 *   quarantine. Other control characters are kept. A value read as text is at most
 *   {@value #TEXT_CHARS} characters.</li>
 *   <li><b>Keys</b> of the entities: 1 to {@value #KEY_CHARS} characters, none of them a control
 *   character, {@code /} or {@code \} (a key is a path segment of the read API).</li>
 *   <li><b>Shape</b>: nesting at most {@value #MAX_DEPTH} deep; a member named twice in one object is
 *   ambiguous and quarantined (no "last one wins"); at most {@value #MAX_FACTS} facts (commands)
 *   from one delivery.</li>
 * </ul>
 */
public final class ProviderLimits {

    public static final int AMOUNT_INTEGER_DIGITS = 15;
    public static final int AMOUNT_DECIMALS = 8;
    public static final int NUMBER_DIGITS = 64;
    public static final int MAX_NUMBER_TOKEN = 1000;
    public static final int MAX_DEPTH = 64;
    public static final int TEXT_CHARS = 4096;
    public static final int KEY_CHARS = 200;
    public static final int MAX_FACTS = 1000;
    /** A quarantine reason, or a webhook type kept on the receipt, is cut to this many characters. */
    public static final int REASON_CHARS = 2000;
    public static final int WEBHOOK_TYPE_CHARS = 255;

    private static final int SHOWN_CHARS = 64;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)");

    private ProviderLimits() {
    }

    /** What in {@code text} PostgreSQL cannot store, or null when it can all be stored. */
    static String unstorable(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "U+0000 (NUL), which PostgreSQL text and jsonb cannot store";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return "a lone surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), which is not Unicode "
                            + "text";
                }
            }
        }
        return null;
    }

    /** Why a number node is outside the limits for any number, or null when it is inside. */
    static String numberOutOfRange(JsonNode node) {
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                return "the number " + value + " is not a decimal";
            }
            return digits(BigDecimal.valueOf(value), NUMBER_DIGITS, NUMBER_DIGITS, "a number");
        }
        if (node.isBigDecimal()) {
            return digits(node.decimalValue(), NUMBER_DIGITS, NUMBER_DIGITS, "a number");
        }
        if (node.isBigInteger()) {
            // 64 decimal digits need at most 213 bits; the bit length is read without conversion
            if (node.bigIntegerValue().bitLength() > 213) {
                return "a number with more than " + NUMBER_DIGITS + " integer digits (at most " + NUMBER_DIGITS + ")";
            }
            return digits(node.decimalValue(), NUMBER_DIGITS, NUMBER_DIGITS, "a number");
        }
        return null;
    }

    /** Why {@code value} has too many digits, from its precision and scale alone, or null. */
    private static String digits(BigDecimal value, int integerDigits, int decimals, String what) {
        long integers = (long) value.precision() - value.scale();
        long scale = value.scale();
        if (integers > integerDigits) {
            return what + " with " + integers + " integer digits (at most " + integerDigits + ")";
        }
        if (scale > decimals) {
            return what + " with " + scale + " decimals (at most " + decimals + ")";
        }
        return null;
    }

    /** An amount sent as a string: a plain decimal, short enough to be an amount at all. */
    static BigDecimal plainDecimal(String field, String text) {
        int longest = AMOUNT_INTEGER_DIGITS + AMOUNT_DECIMALS + 2;
        if (text.length() > longest + 16 || !PLAIN_DECIMAL.matcher(text).matches()) {
            boolean exponent = text.length() <= longest + 16 && text.matches("[+-]?[0-9.]+[eE][+-]?[0-9]+");
            throw new ProviderDataException("'" + field + "' is not a number: '" + shown(text) + "'"
                    + (exponent ? " (an amount sent as text is a plain decimal, without an exponent)" : ""));
        }
        return new BigDecimal(text);
    }

    /** {@code value} when it is inside the amount limits (a negative scale written out), else the reason. */
    static BigDecimal amount(String field, BigDecimal value) {
        String outside = digits(value, AMOUNT_INTEGER_DIGITS, AMOUNT_DECIMALS, "an amount");
        if (outside != null) {
            throw new ProviderDataException("'" + field + "' is outside the amount limits: " + outside
                    + "; an amount carries at most " + AMOUNT_INTEGER_DIGITS + " integer digits and "
                    + AMOUNT_DECIMALS + " decimals");
        }
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    /** A value read as text, when it is at most {@link #TEXT_CHARS} long. */
    static String boundedText(String field, String value) {
        if (value != null && value.length() > TEXT_CHARS) {
            throw new ProviderDataException("'" + field + "' is " + value.length() + " characters long (text is at "
                    + "most " + TEXT_CHARS + ")");
        }
        return value;
    }

    /** Why an entity key cannot be a key, or null when it can. */
    static String badKey(String key) {
        if (key.isEmpty() || key.length() > KEY_CHARS) {
            return "a key is 1 to " + KEY_CHARS + " characters, this one " + key.length();
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == '/' || c == '\\') {
                return "a key holds no control character, '/' or '\\' (found U+"
                        + String.format("%04X", (int) c) + " at " + i + ")";
            }
        }
        return null;
    }

    /**
     * A value as it may appear in a quarantine reason: at most {@value #SHOWN_CHARS} characters, and
     * nothing PostgreSQL cannot store (replaced by U+FFFD).
     */
    public static String shown(String value) {
        String cut = value.length() > SHOWN_CHARS
                ? value.substring(0, SHOWN_CHARS) + "… (" + value.length() + " characters)" : value;
        return storable(cut);
    }

    /** {@code text} with U+0000 and lone surrogates replaced by U+FFFD, so PostgreSQL can store it. */
    public static String storable(String text) {
        if (text == null || unstorable(text) == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                out.append('\uFFFD');
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code text} made storable and cut to {@code max} characters. */
    public static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        String storable = storable(text);
        return storable.length() > max ? storable.substring(0, max - 1) + "…" : storable;
    }
}
