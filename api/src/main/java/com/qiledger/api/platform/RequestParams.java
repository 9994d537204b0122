package com.qiledger.api.platform;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** What the read API's controllers check the same way: dates in query parameters, page sizes, CSV or JSON. */
public final class RequestParams {

    private RequestParams() {
    }

    /** The date in {@code value} (YYYY-MM-DD), or null with what is wrong added to {@code problems}. */
    public static LocalDate date(String name, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is required (YYYY-MM-DD)");
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            problems.add(name + " is not a date (YYYY-MM-DD): '" + value + "'");
            return null;
        }
    }

    /** A period of query dates, {@code from} to {@code to}, both included. */
    public record Period(LocalDate from, LocalDate to) {
    }

    /**
     * The period of {@code from} and {@code to} (two dates, the first not after the second), or empty
     * with what is wrong added to {@code problems}.
     */
    public static Optional<Period> period(String from, String to, List<String> problems) {
        LocalDate start = date("from", from, problems);
        LocalDate end = date("to", to, problems);
        if (start != null && end != null && start.isAfter(end)) {
            problems.add("from (" + start + ") is after to (" + end + ")");
        }
        return problems.isEmpty() ? Optional.of(new Period(start, end)) : Optional.empty();
    }

    /**
     * CSV when the client prefers {@code text/csv}: of the acceptable types, by quality, the first that
     * is either CSV or JSON decides; wildcards and anything else get JSON.
     */
    public static boolean wantsCsv(HttpHeaders headers) {
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(headers.getAccept());
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        accepted.sort((a, b) -> Double.compare(b.getQualityValue(), a.getQualityValue()));
        for (MediaType type : accepted) {
            if (type.getQualityValue() <= 0) {
                continue;
            }
            if ("text".equals(type.getType()) && "csv".equals(type.getSubtype())) {
                return true;
            }
            if (!type.isWildcardType() && !type.isWildcardSubtype() && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }

    /** The 400 {@code bad-limit} answer when a page size is outside 1 to {@code max}; empty when it is fine. */
    public static Optional<ResponseEntity<Object>> badLimit(int limit, int max) {
        return limit >= 1 && limit <= max ? Optional.empty()
                : Optional.of(Problems.of(HttpStatus.BAD_REQUEST, "bad-limit", "limit must be between 1 and " + max));
    }
}
