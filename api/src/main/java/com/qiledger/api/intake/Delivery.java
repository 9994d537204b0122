package com.qiledger.api.intake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/** One delivery as it arrived: the raw body, its digest, content type and arrival time. */
public record Delivery(byte[] body, byte[] sha256, String contentType, Instant receivedAt) {

    public static Delivery of(byte[] body, String contentType, Instant receivedAt) {
        try {
            return new Delivery(body, MessageDigest.getInstance("SHA-256").digest(body), contentType, receivedAt);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
