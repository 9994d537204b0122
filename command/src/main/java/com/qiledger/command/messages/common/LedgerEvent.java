package com.qiledger.command.messages.common;

import java.time.Instant;

/**
 * Every ledger event carries two times: when the fact happened at the provider ({@code occurredAt},
 * null when the provider sent no time) and when the ledger recorded it ({@code recordedAt}).
 */
public interface LedgerEvent {

    Instant occurredAt();

    Instant recordedAt();
}
