package com.qiledger.api.qitech;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tolerant reading of the provider's JSON: trailing commas and other slips the documentation's
 * examples show, numbers sent as strings and strings sent as numbers, every amount as an exact
 * {@link BigDecimal}, and the provider's three date-time spellings. Unknown fields are simply never
 * looked at; the raw body is the record.
 */
public final class ProviderJson {

    /** The provider's zone-less times are local time in São Paulo. */
    public static final ZoneId PROVIDER_ZONE = ZoneId.of("America/Sao_Paulo");

    private static final ObjectMapper LENIENT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(ProviderLimits.MAX_DEPTH)
                            .maxNumberLength(ProviderLimits.MAX_NUMBER_TOKEN)
                            .build())
                    .build())
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // ProviderLimits: a member named twice in one object is ambiguous; it is quarantined
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // keep 30.00 as 30.00: amounts are recorded exactly as sent, scale included
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** {@code 2020-11-11 21:33:03} and {@code 2022-09-27T07:03:35}, fractions optional. */
    static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .parseDefaulting(ChronoField.NANO_OF_SECOND, 0)
            .toFormatter();

    private ProviderJson() {
    }

    /** The body as a JSON tree, or a {@link ProviderDataException} saying why it cannot be applied. */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = LENIENT.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ProviderDataException("body is empty");
            }
            inspect(node);
            return node;
        } catch (NumberFormatException e) {
            // the lenient number features let a lone "." reach Jackson's number conversion
            throw new ProviderDataException("body is not JSON, even read leniently: malformed number ("
                    + ProviderLimits.shown(String.valueOf(e.getMessage())) + ")");
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int detail = message.indexOf("\n at [Source");
            String said = (detail > 0 ? message.substring(0, detail) : message).strip();
            if (said.startsWith("Duplicate")) {
                // ProviderLimits: a member named twice in one object is ambiguous, never "last one wins"
                throw new ProviderDataException("ambiguous body: " + said + " (a member may appear once per object)");
            }
            throw new ProviderDataException("body is not JSON, even read leniently: " + ProviderLimits.cut(said, 300));
        }
    }

    /**
     * One pass over the tree, before any translator reads it (see {@link ProviderLimits}): every
     * number is finite and within {@link ProviderLimits#NUMBER_DIGITS} digits either side of the
     * point, judged from its precision and scale without ever writing it out; no string and no member
     * name holds a character PostgreSQL cannot store (U+0000, a lone surrogate). A valid body costs
     * one visit per node and no allocation; the path of an offending node is built only on failure.
     */
    private static void inspect(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                try {
                    String unstorable = ProviderLimits.unstorable(member.getKey());
                    if (unstorable != null) {
                        throw new Offence("a member name holds " + unstorable);
                    }
                    inspect(member.getValue());
                } catch (Offence o) {
                    throw o.under("." + ProviderLimits.shown(member.getKey()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                try {
                    inspect(node.get(i));
                } catch (Offence o) {
                    throw o.under("[" + i + "]");
                }
            }
        } else if (node.isTextual()) {
            String unstorable = ProviderLimits.unstorable(node.textValue());
            if (unstorable != null) {
                throw new Offence("text holds " + unstorable);
            }
        } else if (node.isNumber()) {
            String outOfRange = ProviderLimits.numberOutOfRange(node);
            if (outOfRange != null) {
                throw new Offence(outOfRange);
            }
        }
    }

    /** A node {@link #inspect} refuses; its path grows as the walk unwinds, then it becomes the reason. */
    private static final class Offence extends ProviderDataException {

        private final String what;
        private final String path;

        Offence(String what) {
            this(what, "");
        }

        private Offence(String what, String path) {
            super("the value at $" + path + " cannot be recorded: " + what);
            this.what = what;
            this.path = path;
        }

        Offence under(String segment) {
            return new Offence(what, segment + path);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /**
     * Runs a read of the payload and locates a data error it raises at {@code where}, the path of the
     * object it reads ({@code data.installment}) or a member's name relative to an enclosing
     * {@code at} ({@code events[1]}): the reason becomes {@code <where>: <reason>}, and nested reads
     * join their places, so {@code at("data", () -> at("installments[1]", ...))} fails with
     * {@code data.installments[1]: 'due_date' is not a date: 'soon'}. The one way the translators say
     * where a reason happened; the reason itself names the bare field.
     */
    public static <T> T at(String where, Supplier<T> read) {
        try {
            return read.get();
        } catch (ProviderDataException e) {
            throw e.under(where);
        }
    }

    /**
     * A member list of objects, each read by {@code element} at {@code field[i]} (see {@link #at}); null
     * when absent or null. Anything but an array there, or anything but an object in it, is a data error.
     */
    public static <T> List<T> objects(JsonNode parent, String field, Function<JsonNode, T> element) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isArray()) {
            throw new ProviderDataException("'" + field + "' should be an array, not " + node.getNodeType());
        }
        List<T> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            items.add(at(field + "[" + i + "]", () -> element.apply(asObject(item))));
        }
        return items;
    }

    /** A list's element, which must be an object; the reason names no field, {@link #at} places it. */
    public static JsonNode asObject(JsonNode item) {
        if (!item.isObject()) {
            throw new ProviderDataException("should be an object, not " + item.getNodeType());
        }
        return item;
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    /** A value as text whether it came as a string or as a number; null when absent or null. */
    public static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            return node.decimalValue().toPlainString();
        }
        if (node.isValueNode()) {
            return ProviderLimits.boundedText(field, node.asText());
        }
        throw new ProviderDataException("'" + field + "' should be a single value, not " + node.getNodeType());
    }

    public static String requiredText(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            throw new ProviderDataException("required field '" + field + "' is missing");
        }
        return value;
    }

    /**
     * An exact amount from a JSON number or a numeric string, within the amount limits of
     * {@link ProviderLimits} (15 integer digits, 8 decimals). A string must be a plain decimal
     * ({@code 6676.38}, {@code -1}, {@code .5}): no exponent, no {@code NaN}; a JSON number may
     * have an exponent, and is judged by its value. A negative scale ({@code 1E+2}) is written out
     * as an integer ({@code 100}).
     */
    public static BigDecimal decimal(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (!present(node)) {
            return null;
        }
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            String text = node.textValue().strip();
            if (text.isEmpty()) {
                return null;
            }
            value = ProviderLimits.plainDecimal(field, text);
        } else if (node.isBoolean()) {
            throw new ProviderDataException("'" + field + "' is not a number: '" + node.asText() + "'");
        } else {
            throw new ProviderDataException("'" + field + "' should be a single value, not " + node.getNodeType());
        }
        return ProviderLimits.amount(field, value);
    }

    public static LocalDate date(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            String stripped = value.strip();
            String day = stripped.length() > 10 ? stripped.substring(0, 10) : stripped;
            LocalDate plain = plainDate(day);
            return plain != null ? plain : LocalDate.parse(day);
        } catch (DateTimeException e) {
            throw new ProviderDataException("'" + field + "' is not a date: '" + ProviderLimits.shown(value) + "'");
        }
    }

    public static Instant instant(JsonNode parent, String field) {
        String value = text(parent, field);
        return value == null || value.isBlank() ? null : instant(field, value.strip());
    }

    /** ISO-8601 with an offset or Z is taken as it says; a zone-less value is São Paulo time. */
    static Instant instant(String field, String value) {
        try {
            // one parse, chosen by the text: no failed parse (an exception) on every zone-less time (issue 20)
            return hasOffset(value)
                    ? OffsetDateTime.parse(value.replace(' ', 'T')).toInstant()
                    : localDateTime(value).atZone(PROVIDER_ZONE).toInstant();
        } catch (DateTimeException e) {
            throw new ProviderDataException("'" + field + "' is not a date-time: '" + ProviderLimits.shown(value) + "'");
        }
    }

    /**
     * A zone-less date-time as {@link #LOCAL} reads it. The provider's usual shapes
     * ({@code 2023-01-10 14:08:46}, with {@code T}, with a fraction of up to nine digits) are read
     * directly when every field is in range, which gives what the formatter gives (JFR: the formatter
     * was 14 % of the request threads' samples, issue 20); any other text, or a value the formatter would
     * resolve (a 24th hour, a 31st of April), goes to the formatter, which decides as it always has.
     */
    static LocalDateTime localDateTime(String value) {
        LocalDateTime plain = plainDateTime(value);
        return plain != null ? plain : LocalDateTime.parse(value, LOCAL);
    }

    /** {@code yyyy-MM-dd}, four-digit year, a valid day; null for any other text. */
    static LocalDate plainDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} or with {@code T}, an optional fraction of 1 to 9 digits, in range; else null. */
    static LocalDateTime plainDateTime(String text) {
        int length = text.length();
        if (length < 19 || length == 20 || length > 29 || (text.charAt(10) != 'T' && text.charAt(10) != ' ')
                || text.charAt(13) != ':' || text.charAt(16) != ':' || (length > 19 && text.charAt(19) != '.')) {
            return null;
        }
        LocalDate date = plainDate(text.substring(0, 10));
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > 19 ? digits(text, 20, length) : 0;
        if (date == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || fraction < 0) {
            return null;
        }
        int nanos = fraction; // its digits, 0 to 9 of them, scaled to nine
        for (int digits = Math.max(0, length - 20); digits < 9; digits++) {
            nanos *= 10;
        }
        return LocalDateTime.of(date, java.time.LocalTime.of(hour, minute, second, nanos));
    }

    /** The ASCII digits from {@code from} to {@code to} as a number; -1 if any is not one. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Whether an ISO-8601 date-time ends with a zone offset: {@code Z}, {@code +03:00}, {@code -0300}, {@code +03}. */
    public static boolean hasOffset(String value) {
        int time = value.indexOf('T') > 0 ? value.indexOf('T') : value.indexOf(' ');
        if (time < 0) {
            return false;
        }
        char last = value.charAt(value.length() - 1);
        if (last == 'Z' || last == 'z') {
            return true;
        }
        for (int i = value.length() - 1; i > time; i--) {
            char c = value.charAt(i);
            if (c == '+' || c == '-') {
                return true;
            }
            if (!Character.isDigit(c) && c != ':') {
                return false;
            }
        }
        return false;
    }

    public static Boolean bool(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ProviderDataException("'" + field + "' is not a boolean: '" + ProviderLimits.shown(value)
                    + "'");
        };
    }

    /** A list of single values as text; a lone value is read as a list of one. */
    public static List<String> texts(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (!present(node)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isValueNode() && !item.isNull()) {
                    values.add(ProviderLimits.boundedText(field,
                            item.isNumber() ? item.decimalValue().toPlainString() : item.asText()));
                }
            }
        } else if (node.isValueNode()) {
            values.add(ProviderLimits.boundedText(field, node.asText()));
        }
        return values;
    }

    /** An object member, or null when absent; anything but an object there is a data error. */
    public static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw new ProviderDataException("'" + field + "' should be an object, not " + node.getNodeType());
        }
        return node;
    }
}
