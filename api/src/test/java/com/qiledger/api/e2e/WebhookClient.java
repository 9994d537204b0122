package com.qiledger.api.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the end-to-end tests do alike: post a delivery, read an answer, look into the store. */
abstract class WebhookClient {

    @Autowired
    WebTestClient web;

    @Autowired
    JdbcClient jdbc;

    /** Posts a delivery as the provider would and returns its 200 answer. */
    JsonNode post(byte[] body) {
        return web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** A read that must answer 200. */
    JsonNode get(String uri, Object... variables) {
        return web.get().uri(uri, variables).exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
    }

    /** A delivery an older version quarantined (say, before it knew the family), as it sits in the table. */
    UUID quarantinedByAnOlderVersion(byte[] body, String reason) throws Exception {
        UUID id = UUID.randomUUID();
        Timestamp at = Timestamp.from(Instant.now());
        jdbc.sql("""
                        INSERT INTO receipt (receipt_id, body_sha256, body, content_type, webhook_type, received_at,
                            outcome, reason, attempts, last_attempt_at)
                        VALUES (:id, :sha, :body, 'application/json', NULL, :at, 'quarantined', :reason, 1, :at)
                        """)
                .param("id", id).param("sha", MessageDigest.getInstance("SHA-256").digest(body))
                .param("body", body).param("at", at).param("reason", reason).update();
        return id;
    }

    long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
