package com.qiledger.command.messages.debt;

/**
 * Where a partner call stands, as the {@code Debt} aggregate decides it. {@link #CONFIRMED} once the
 * provider's webhook that follows the call arrived, whatever the call's own answer was (the webhook
 * may overtake it).
 */
public enum PartnerCallState {
    PENDING("pending"),
    ACCEPTED("accepted"),
    REFUSED("refused"),
    GAVE_UP("gave_up"),
    CONFIRMED("confirmed");

    private final String viewName;

    PartnerCallState(String viewName) {
        this.viewName = viewName;
    }

    public String viewName() {
        return viewName;
    }
}
