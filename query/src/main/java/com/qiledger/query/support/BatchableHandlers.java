package com.qiledger.query.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a projection whose event handlers write only through {@link BatchedWrites}, each write an
 * {@code INSERT INTO}, {@code UPDATE} or {@code DELETE FROM} of one table that reads no other table,
 * call {@link BatchedWrites#beforeRead(String)} before they read a table they write, and never use a
 * count of rows written but through {@link BatchedWrites.Write#applyGuarded()}: what they compute
 * does not depend on when their writes reach the database, as long as each table's reach it in order
 * and before the next read of that table. A rebuild may therefore queue their writes per table and
 * send them in JDBC batches ({@link BatchedWrites#batched}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BatchableHandlers {
}
