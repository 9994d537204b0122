package com.qiledger.api.platform;

/**
 * How webhook deliveries are authenticated, as far as the platform needs to know it
 * ({@link LoopbackUnlessGuarded}): the scheme's name as {@code ledger.webhook.auth} spells it,
 * {@code none} when unsigned deliveries are accepted. The intake's delivery authenticator is one.
 */
@FunctionalInterface
public interface WebhookScheme {

    /** The scheme's name as {@code ledger.webhook.auth} spells it. */
    String scheme();
}
