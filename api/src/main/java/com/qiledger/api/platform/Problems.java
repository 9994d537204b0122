package com.qiledger.api.platform;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** problem+json answers (RFC 9457). */
public final class Problems {

    private Problems() {
    }

    public static ResponseEntity<Object> of(HttpStatus status, String type, String detail) {
        return of(status, type, detail, Map.of());
    }

    /** With extension members, e.g. {@code check} on an authentication refusal. */
    public static ResponseEntity<Object> of(HttpStatus status, String type, String detail, Map<String, Object> more) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:qi-ledger:problem:" + type));
        problem.setTitle(status.getReasonPhrase());
        more.forEach(problem::setProperty);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
