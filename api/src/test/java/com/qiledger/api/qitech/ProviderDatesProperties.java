package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/**
 * The direct reading of the provider's usual date and date-time shapes (issue 20) answers exactly what
 * the formatters answer, for every text of those shapes and around them: the same value, or a refusal
 * where they refuse. Texts out of range (a 31st of April, a 24th hour, a 60th second) included, where the
 * lenient date-time formatter resolves and the strict date one refuses.
 */
class ProviderDatesProperties {

    @Property(tries = 3000)
    void aDateReadsAsTheIsoFormatterReadsIt(@ForAll("dates") String text) {
        assertThat(outcome(() -> {
            LocalDate plain = ProviderJson.plainDate(text);
            return plain != null ? plain : LocalDate.parse(text);
        })).isEqualTo(outcome(() -> LocalDate.parse(text)));
    }

    @Property(tries = 5000)
    void aDateTimeReadsAsTheProvidersFormatterReadsIt(@ForAll("dateTimes") String text) {
        assertThat(outcome(() -> ProviderJson.localDateTime(text)))
                .isEqualTo(outcome(() -> LocalDateTime.parse(text, ProviderJson.LOCAL)));
    }

    @Example
    void theUsualShapesAreReadDirectly() {
        assertThat(ProviderJson.plainDateTime("2023-01-10 14:08:46")).isEqualTo(LocalDateTime.of(2023, 1, 10, 14, 8, 46));
        assertThat(ProviderJson.plainDateTime("2022-09-27T07:03:35.12")).isEqualTo(
                LocalDateTime.of(2022, 9, 27, 7, 3, 35, 120_000_000));
        assertThat(ProviderJson.plainDateTime("2023-06-30T18:52:27.885731")).isEqualTo(
                LocalDateTime.of(2023, 6, 30, 18, 52, 27, 885_731_000));
        assertThat(ProviderJson.plainDate("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        // left to the formatter, which decides
        assertThat(ProviderJson.plainDate("2023-02-29")).isNull();
        assertThat(ProviderJson.plainDateTime("2023-01-10 24:00:00")).isNull();
        assertThat(ProviderJson.plainDateTime("2023-01-10 14:08")).isNull();
    }

    @Provide
    Arbitrary<String> dates() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 32)).as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d)),
                Arbitraries.strings().withChars("0123456789-T: .").ofMinLength(8).ofMaxLength(12));
    }

    @Provide
    Arbitrary<String> dateTimes() {
        Arbitrary<String> day = dates();
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 61),
                Arbitraries.strings().numeric().ofMaxLength(10))
                .as((h, m, s, f) -> String.format("%02d:%02d:%02d", h, m, s) + (f.isEmpty() ? "" : "." + f));
        return Arbitraries.oneOf(
                Combinators.combine(day, Arbitraries.of("T", " ", "", "x"), time).as((d, sep, t) -> d + sep + t),
                Arbitraries.strings().withChars("0123456789-T: .").ofMinLength(15).ofMaxLength(31));
    }

    private interface Parse {
        Object parse();
    }

    /** The value, or the kind of refusal: what a caller sees. */
    private static Object outcome(Parse parse) {
        try {
            return parse.parse();
        } catch (DateTimeException e) {
            return "refused";
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }
}
