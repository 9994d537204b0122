package com.qiledger.api.platform;

import java.util.Locale;

/** The roles of API.md; each is granted by its own bearer token. */
public enum Role {
    AUDITOR,
    FINANCE,
    OPERATOR;

    /** The Spring Security authority a token of this role carries. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** As the settings and the documentation spell it: {@code auditor}, {@code finance}, {@code operator}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
