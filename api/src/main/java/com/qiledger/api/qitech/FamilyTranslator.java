package com.qiledger.api.qitech;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import com.qiledger.command.messages.common.LedgerCommand;
import java.util.List;
import java.util.Set;

/** Turns one webhook family's payloads into commands; the one place that knows its shape. */
public interface FamilyTranslator {

    /** The {@code webhook_type} values this translator reads. */
    Set<String> webhookTypes();

    /**
     * The commands for one delivery. Throws {@link ProviderDataException} with a precise reason when
     * the payload cannot be applied.
     */
    List<LedgerCommand> translate(JsonNode webhook, Instant recordedAt);
}
