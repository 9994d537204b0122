package com.qiledger.api.intake;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import org.springframework.http.HttpHeaders;

/**
 * The first steps both signature schemes share: take the token from its header, parse it, and
 * insist on the one algorithm the scheme allows. Exactly one of {@code jwt} and {@code refusal} is set.
 */
record SignedToken(SignedJWT jwt, DeliveryAuthenticator.Refusal refusal) {

    static SignedToken from(HttpHeaders headers, String header, JWSAlgorithm only) {
        String token = bearer(headers.getFirst(header));
        if (token == null) {
            return refused("signature", "header " + header + " is missing");
        }
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                return refused("algorithm", "the token is not signed (alg " + parsed.getHeader().getAlgorithm()
                        + "); only " + only + " is accepted");
            }
            if (!only.equals(signed.getHeader().getAlgorithm())) {
                return refused("algorithm", "alg " + signed.getHeader().getAlgorithm() + " is not accepted; only "
                        + only);
            }
            return new SignedToken(signed, null);
        } catch (ParseException e) {
            return refused("token", header + " is not a well-formed JWT: " + e.getMessage());
        }
    }

    /** The token, with or without a {@code Bearer } prefix; null when the header is absent or blank. */
    static String bearer(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value;
    }

    private static SignedToken refused(String check, String detail) {
        return new SignedToken(null, new DeliveryAuthenticator.Refusal(check, detail));
    }
}
