package com.qiledger.query.support;

import org.axonframework.eventhandling.TrackingToken;

/** The global event position a tracking token stands for (-1 when it names none). */
public final class Positions {

    private Positions() {
    }

    public static long of(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
