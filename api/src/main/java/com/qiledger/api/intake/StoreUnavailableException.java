package com.qiledger.api.intake;

/** The store cannot commit right now: nothing was acknowledged, the provider will resend. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
