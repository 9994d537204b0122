package com.qiledger.api.provider;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Signs a request to the provider as its API requires, the scheme the webhook receiver verifies in the
 * other direction: a JWT signed ES512 with the partner's private key over {@code payload_md5} (hex MD5
 * of the exact body bytes sent), {@code timestamp} (UTC ISO-8601), {@code method} and {@code uri} (the
 * request's path), sent in header {@code AUTHORIZATION}.
 */
public final class ProviderSigner {

    private final ECDSASigner signer;

    public ProviderSigner(ECPrivateKey key) {
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(PartnerKeys.SETTING + " cannot sign ES512: " + e.getMessage(), e);
        }
    }

    public String sign(String method, String uri, byte[] body, Instant at) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("payload_md5", md5Hex(body))
                .claim("timestamp", at.toString())
                .claim("method", method)
                .claim("uri", uri)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES512), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("ES512 signing failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
