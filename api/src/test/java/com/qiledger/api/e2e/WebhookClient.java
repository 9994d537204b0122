package com.qiledger.api.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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

    long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
