package com.qiledger.api.intake;

import java.util.UUID;

/** The answer to the provider, as API.md fixes it. */
public record IntakeAnswer(UUID receipt, Outcome outcome, Long position, String reason) {

    public enum Outcome {
        applied, duplicate, quarantined
    }
}
