package com.qiledger.api.qitech;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Entry of the anti-corruption layer: reads a raw delivery tolerantly, unwraps the
 * {@code {"webhook": {...}}} envelope one family uses, and hands it to the translator of its
 * {@code webhook_type}. Never throws for bad input: anything it cannot apply becomes a quarantine
 * reason.
 */
@Component
public class QiTechTranslator {

    private final Map<String, FamilyTranslator> byType = new HashMap<>();

    public QiTechTranslator(List<FamilyTranslator> families) {
        for (FamilyTranslator family : families) {
            for (String type : family.webhookTypes()) {
                if (byType.put(type, family) != null) {
                    throw new IllegalStateException("two translators claim webhook_type " + type);
                }
            }
        }
    }

    /**
     * The family a {@code webhook_type} belongs to, named after its translator ({@code BankSlip},
     * {@code Debt}, ...); {@code other} for a type no family reads.
     */
    public String familyOf(String webhookType) {
        FamilyTranslator family = webhookType == null ? null : byType.get(webhookType);
        return family == null ? "other" : family.getClass().getSimpleName().replace("Translator", "");
    }

    /** Every {@code webhook_type} some family reads. */
    public java.util.Set<String> webhookTypes() {
        return java.util.Set.copyOf(byType.keySet());
    }

    public Translation translate(byte[] body, Instant recordedAt) {
        String webhookType = null;
        try {
            JsonNode root = ProviderJson.parse(body);
            if (!root.isObject()) {
                throw new ProviderDataException("body is JSON but not an object");
            }
            JsonNode webhook = unwrap(root);
            webhookType = ProviderJson.text(webhook, "webhook_type");
            if (webhookType == null || webhookType.isBlank()) {
                throw new ProviderDataException("required field 'webhook_type' is missing");
            }
            FamilyTranslator family = byType.get(webhookType);
            if (family == null) {
                return new Translation.Quarantine(webhookType, "unknown webhook_type '" + webhookType + "'");
            }
            List<LedgerCommand> commands = family.translate(webhook, recordedAt);
            if (commands.isEmpty()) {
                throw new ProviderDataException("the payload holds nothing to record");
            }
            if (commands.size() > ProviderLimits.MAX_FACTS) {
                throw new ProviderDataException("the payload holds " + commands.size() + " facts; at most "
                        + ProviderLimits.MAX_FACTS + " are applied from one delivery");
            }
            for (LedgerCommand command : commands) {
                String key = AggregateIds.keyOf(command.aggregateId());
                String bad = ProviderLimits.badKey(key);
                if (bad != null) {
                    throw new ProviderDataException("key '" + ProviderLimits.shown(key) + "' cannot be a key: " + bad);
                }
            }
            return new Translation.Commands(webhookType, commands);
        } catch (ProviderDataException e) {
            return new Translation.Quarantine(webhookType, e.getMessage());
        } catch (RuntimeException e) {
            // A reader bug must not lose an authentic delivery: quarantine it with the cause.
            return new Translation.Quarantine(webhookType, "unreadable payload (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** {@code {"webhook": {...}}} with nothing else of note around it is an envelope. */
    static JsonNode unwrap(JsonNode root) {
        JsonNode inner = root.get("webhook");
        if (inner != null && inner.isObject() && !root.has("webhook_type")) {
            return inner;
        }
        return root;
    }
}
