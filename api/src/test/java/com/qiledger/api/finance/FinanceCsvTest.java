package com.qiledger.api.finance;

import com.qiledger.api.platform.RequestParams;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.query.finance.LedgerEntries;
import com.qiledger.query.finance.LedgerEntry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class FinanceCsvTest {

    @Test
    void amountsHaveTwoDecimalsRoundedHalfEvenInPlainNotation() {
        assertThat(FinanceCsv.money(new BigDecimal("0.125"))).isEqualTo("0.12");
        assertThat(FinanceCsv.money(new BigDecimal("0.135"))).isEqualTo("0.14");
        assertThat(FinanceCsv.money(new BigDecimal("-551.5"))).isEqualTo("-551.50");
        assertThat(FinanceCsv.money(new BigDecimal("1E+3"))).isEqualTo("1000.00");
        assertThat(FinanceCsv.money(new BigDecimal("141.07452576"))).isEqualTo("141.07");
        assertThat(FinanceCsv.money(null)).isNull();
    }

    @Test
    void anEmptyLedgerIsStillAHeaderRow() {
        byte[] csv = FinanceCsv.entries(new LedgerEntries(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-31"),
                List.of()));

        assertThat(new String(csv, StandardCharsets.UTF_8)).isEqualTo("effective_date,entity,key,kind,amount,"
                + "effective_source,effective_at,recorded_at,reference,detail,receipt,event_id,position,ordinal\r\n");
    }

    @Test
    void fieldsAreQuotedOnlyWhenTheyMustBeWithQuotesDoubled() {
        LedgerEntry entry = new LedgerEntry(LocalDate.parse("2024-01-02"), "debts", "<Debt Key>",
                "disbursement_refused", null, "provider", Instant.parse("2024-01-02T13:00:00Z"),
                Instant.parse("2024-01-03T10:00:00.123456Z"), null, "a, \"b\"\r\nc", "r", "e", 7, 0);

        String csv = new String(FinanceCsv.entries(new LedgerEntries(LocalDate.parse("2024-01-01"),
                LocalDate.parse("2024-01-31"), List.of(entry))), StandardCharsets.UTF_8);

        assertThat(csv).endsWith("\r\n2024-01-02,debts,<Debt Key>,disbursement_refused,,provider,2024-01-02T13:00:00Z,"
                + "2024-01-03T10:00:00.123456Z,,\"a, \"\"b\"\"\r\nc\",r,e,7,0\r\n");
    }

    @Test
    void csvOnlyWhenTheClientPrefersIt() {
        assertThat(RequestParams.wantsCsv(accept("text/csv"))).isTrue();
        assertThat(RequestParams.wantsCsv(accept("text/csv;charset=UTF-8"))).isTrue();
        assertThat(RequestParams.wantsCsv(accept("application/json;q=0.5, text/csv"))).isTrue();
        assertThat(RequestParams.wantsCsv(accept("application/json, text/csv;q=0.5"))).isFalse();
        assertThat(RequestParams.wantsCsv(accept("text/csv;q=0"))).isFalse();
        assertThat(RequestParams.wantsCsv(accept("*/*"))).isFalse();
        assertThat(RequestParams.wantsCsv(accept("not a media type"))).isFalse();
        assertThat(RequestParams.wantsCsv(new HttpHeaders())).isFalse();
    }

    @Test
    void aPageSizeOutsideOneToTheMostIsA400BadLimit() {
        assertThat(RequestParams.badLimit(1, 500)).isEmpty();
        assertThat(RequestParams.badLimit(500, 500)).isEmpty();
        for (int limit : new int[] {0, -1, 501}) {
            var answer = RequestParams.badLimit(limit, 500).orElseThrow();
            assertThat(answer.getStatusCode().value()).isEqualTo(400);
            assertThat(answer.getBody().toString()).contains("bad-limit", "limit must be between 1 and 500");
        }
    }

    static HttpHeaders accept(String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.ACCEPT, value);
        return headers;
    }
}
