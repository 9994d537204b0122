package com.qiledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The chain encoding against known answers computed apart from this code (resources/audit/chain-v1-vectors.json). */
class ChainEncodingTest {

    static JsonNode vectors() throws Exception {
        try (InputStream in = ChainEncodingTest.class.getResourceAsStream("/audit/chain-v1-vectors.json")) {
            return new ObjectMapper().readTree(in).get("vectors");
        }
    }

    static ChainEncoding.EventFields fields(JsonNode v) {
        return new ChainEncoding.EventFields(text(v, "aggregate_type"), text(v, "aggregate_id"),
                v.get("sequence").asLong(), text(v, "event_id"), text(v, "payload_type"), text(v, "payload_revision"),
                text(v, "recorded"), ChainEncoding.sha256(bytes(v, "payload")), ChainEncoding.sha256(bytes(v, "metadata")),
                text(v, "receipt_id"), ChainEncoding.sha256(bytes(v, "receipt_body")));
    }

    static String text(JsonNode v, String field) {
        return v.get(field).isNull() ? null : v.get(field).asText();
    }

    static byte[] bytes(JsonNode v, String field) {
        String text = text(v, field);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyVectorsCanonicalBytesAndLinkAreTheKnownAnswers() throws Exception {
        JsonNode vectors = vectors();
        assertThat(vectors).hasSize(3);
        byte[] previous = ChainEncoding.GENESIS;
        for (JsonNode v : vectors) {
            assertThat(ChainEncoding.hex(previous)).as(v.get("name").asText()).isEqualTo(v.get("previous").asText());
            assertThat(ChainEncoding.hex(ChainEncoding.canonical(fields(v)))).as(v.get("name").asText())
                    .isEqualTo(v.get("canonical").asText());
            previous = ChainEncoding.link(previous, fields(v));
            assertThat(ChainEncoding.hex(previous)).as(v.get("name").asText()).isEqualTo(v.get("link").asText());
        }
    }

    @Test
    void theFirstVectorsLinkIsPinnedHereToo() throws Exception {
        // the file could be regenerated wrong together with the code; this one cannot move silently
        assertThat(ChainEncoding.hex(ChainEncoding.link(ChainEncoding.GENESIS, fields(vectors().get(0)))))
                .isEqualTo("34ac46fd6148f494f50cafea97f0ec62dffac9f8a8cb5060ce5ce16080b367f5");
        assertThat(ChainEncoding.hex(ChainEncoding.canonical(fields(vectors().get(1))))).startsWith("514c4331"
                + "00000004" + "44656274"                       // str("Debt")
                + "0000000f");                                  // "Debt:ação-€" is 15 bytes of UTF-8
    }

    @Test
    void aNullAndAnEmptyStringAreTwoDifferentEncodings() {
        ChainEncoding.EventFields empty = new ChainEncoding.EventFields("", "a", 0, "e", "t", "", "r",
                new byte[32], null, "", null);
        ChainEncoding.EventFields nulls = new ChainEncoding.EventFields(null, "a", 0, "e", "t", null, "r",
                new byte[32], null, null, null);
        assertThat(ChainEncoding.canonical(empty)).isNotEqualTo(ChainEncoding.canonical(nulls));
    }
}
