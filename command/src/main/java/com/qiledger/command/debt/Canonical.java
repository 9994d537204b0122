package com.qiledger.command.debt;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A canonical text of a fact's content, used only to break ties between different facts reported
 * for the same instant, so that which one counts as "latest" never depends on arrival order.
 *
 * <p>The text is injective for the message types it is used on (records of strings, exact decimals,
 * booleans, instants, enums, lists and records): every value is tagged with its kind and
 * length-prefixed, and {@link BigDecimal#toString()} maps distinct (value, scale) pairs to distinct
 * texts. So two contents have the same text exactly when they are equal, and an order built on it
 * agrees with equality of facts. Not {@code toString()}: that leaves document numbers out on purpose.
 */
final class Canonical {

    private Canonical() {
    }

    static String text(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append('~');
        } else if (value instanceof String s) {
            tagged(out, 's', s);
        } else if (value instanceof BigDecimal d) {
            tagged(out, 'd', d.toString());
        } else if (value instanceof Boolean || value instanceof Instant || value instanceof Enum<?>) {
            tagged(out, 'v', value.toString());
        } else if (value instanceof List<?> list) {
            out.append('[').append(list.size()).append(':');
            list.forEach(item -> append(out, item));
            out.append(']');
        } else if (value.getClass().isRecord()) {
            out.append('{');
            tagged(out, 'r', value.getClass().getName());
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                append(out, read(component, value));
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("no canonical text for " + value.getClass().getName());
        }
    }

    private static void tagged(StringBuilder out, char kind, String text) {
        out.append(kind).append(text.length()).append(':').append(text);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }
}
