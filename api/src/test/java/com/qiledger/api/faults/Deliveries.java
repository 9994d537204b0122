package com.qiledger.api.faults;

import com.qiledger.api.e2e.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Valid deliveries of every family, made from the seed fixtures by giving their entities new keys:
 * every key (a UUID, or the debts' {@code <Debt Key>}) becomes a name-based UUID of the key and a
 * scope. Deliveries of one scope share their entities where the fixtures do (a DDA slip's
 * registration and update, a debt's webhooks), so a scope's deliveries also race on one aggregate;
 * deliveries of different scopes share nothing.
 */
final class Deliveries {

    static final List<String> TEMPLATES = List.of(
            "bank-slip/registered.json",
            "bank-slip/paid_qr_code.json",
            "bank-slip/written_off.json",
            "bank-slip/payment_notice.json",
            "conciliation-batch/creation.json",
            "dda-bank-slip/registration.json",
            "dda-bank-slip/update.json",
            "installment/status_change_paid.json",
            "installment/update_billing.json",
            "debt/collateral.json",
            "debt/canceled_ted_refusal.json",
            "debt/failed_reservation.json");

    private static final Pattern KEY = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|<Debt Key>");

    private Deliveries() {
    }

    /** The template's body with every key replaced for {@code scope}. */
    static byte[] of(String template, String scope) {
        String body = new String(Webhooks.read(template), StandardCharsets.UTF_8);
        Matcher keys = KEY.matcher(body);
        StringBuilder out = new StringBuilder();
        while (keys.find()) {
            keys.appendReplacement(out, key(scope, keys.group()));
        }
        keys.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Delivery {@code i} of a stream where every {@code TEMPLATES.size()} consecutive ones share a scope. */
    static byte[] nth(String run, int i) {
        return of(template(i), run + "-" + i / TEMPLATES.size());
    }

    static String template(int i) {
        return TEMPLATES.get(i % TEMPLATES.size());
    }

    /** The same fact in other bytes, as a provider re-serialising a webhook would send it. */
    static byte[] reserialised(byte[] body) {
        return (new String(body, StandardCharsets.UTF_8).replace("\n", "\r\n") + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The key that {@code original} becomes in {@code scope}. */
    static String key(String scope, String original) {
        return UUID.nameUUIDFromBytes((scope + "|" + original).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
