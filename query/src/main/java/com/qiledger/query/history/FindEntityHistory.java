package com.qiledger.query.history;

/**
 * Every event of one entity, in order. {@code aggregateType} is the aggregate's simple name
 * ({@code BankSlip}, {@code DdaBankSlip}, ...). Answered with an {@link EntityHistory}.
 */
public record FindEntityHistory(String aggregateType, String key) {
}
