package com.qiledger.query.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a projection whose event handlers write only through {@link BatchedWrites}, call
 * {@link BatchedWrites#beforeRead()} before they read their own tables, and never use a count of
 * rows written: what they compute does not depend on when their writes reach the database, as long
 * as they reach it in order and before the next read. A rebuild may therefore queue their writes
 * and send them in JDBC batches ({@link BatchedWrites#batched}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BatchableHandlers {
}
