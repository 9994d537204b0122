package com.qiledger.query.support;

import java.sql.Timestamp;
import java.time.Instant;

/** Conversions between JDBC values and the read models' types. */
public final class Sql {

    private Sql() {
    }

    public static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
