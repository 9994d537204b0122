package com.qiledger.api.intake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * One delivery as it arrived: the raw body, its digest, content type and arrival time, and the
 * provider's signature when the scheme keeps it (null otherwise).
 */
public record Delivery(byte[] body, byte[] sha256, String contentType, Instant receivedAt, StoredSignature signature) {

    public static Delivery of(byte[] body, String contentType, Instant receivedAt) {
        return of(body, contentType, receivedAt, null);
    }

    public static Delivery of(byte[] body, String contentType, Instant receivedAt, StoredSignature signature) {
        try {
            return new Delivery(body, MessageDigest.getInstance("SHA-256").digest(body), contentType, receivedAt,
                    signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
