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

    /**
     * Both texts end up in the receipt's columns: whatever the body held, they are made storable and
     * bounded here ({@link ProviderLimits#cut}), so that recording a quarantine can never fail on them.
     */
    record Quarantine(String webhookType, String reason) implements Translation {
        public Quarantine {
            webhookType = ProviderLimits.cut(webhookType, ProviderLimits.WEBHOOK_TYPE_CHARS);
            reason = ProviderLimits.cut(reason, ProviderLimits.REASON_CHARS);
        }
    }
}
