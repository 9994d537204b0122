package com.qiledger.command.messages.common;

/** Every command names the event stream it targets (see {@link AggregateIds}). */
public interface LedgerCommand {

    String aggregateId();
}
