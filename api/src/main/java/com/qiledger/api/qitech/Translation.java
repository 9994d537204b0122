package com.qiledger.api.qitech;

import com.qiledger.command.messages.common.LedgerCommand;
import java.util.List;

/**
 * What the anti-corruption layer made of one delivery: the commands to send, or the reason it must
 * be quarantined. {@code family} is the webhook type as sent (null when unreadable).
 */
public sealed interface Translation {

    String webhookType();

    record Commands(String webhookType, List<LedgerCommand> commands) implements Translation {
        public Commands {
            commands = List.copyOf(commands);
        }
    }

    record Quarantine(String webhookType, String reason) implements Translation {
    }
}
