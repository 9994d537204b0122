package com.qiledger.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    static final String AUDITOR = "auditor-7f3c9a1e5b2d4c8f";
    static final String FINANCE = "finance-2b8e6d0a4c1f3e9b";
    static final String OPERATOR = "operator-9d4a2c7e1b5f8a3c";

    final BearerTokens tokens = BearerTokens.of(new LedgerProperties.Tokens(AUDITOR, FINANCE, OPERATOR));

    @Test
    void eachTokenGrantsItsOwnRole() {
        assertThat(tokens.rolesOf(AUDITOR)).containsExactly(Role.AUDITOR);
        assertThat(tokens.rolesOf(FINANCE)).containsExactly(Role.FINANCE);
        assertThat(tokens.rolesOf(OPERATOR)).containsExactly(Role.OPERATOR);
    }

    @Test
    void anUnknownTokenGrantsNothing() {
        assertThat(tokens.rolesOf("nope")).isEmpty();
        assertThat(tokens.rolesOf("")).isEmpty();
        assertThat(tokens.rolesOf(null)).isEmpty();
        assertThat(tokens.rolesOf(AUDITOR + "x")).isEmpty();
        assertThat(tokens.rolesOf(AUDITOR.substring(0, AUDITOR.length() - 1))).isEmpty();
        assertThat(tokens.rolesOf(AUDITOR.toUpperCase())).isEmpty();
    }

    @Test
    void aBlankTokenIsUnsetAndItsRoleCannotBeUsed() {
        BearerTokens partial = BearerTokens.of(new LedgerProperties.Tokens(AUDITOR, "  ", null));
        assertThat(partial.configuredRoles()).containsExactly(Role.AUDITOR);
        assertThat(partial.rolesOf("  ")).isEmpty();
        assertThat(partial.rolesOf("")).isEmpty();
        assertThat(BearerTokens.of(new LedgerProperties.Tokens(null, "", " ")).isEmpty()).isTrue();
        assertThat(BearerTokens.of(null).isEmpty()).isTrue();
    }

    @Test
    void aConfiguredTokenIsReadWithoutSurroundingWhitespace() {
        BearerTokens fromEnvironment = BearerTokens.of(new LedgerProperties.Tokens(AUDITOR + "\n", null, null));
        assertThat(fromEnvironment.rolesOf(AUDITOR)).containsExactly(Role.AUDITOR);
    }

    @Test
    void oneTokenSetForTwoRolesGrantsBoth() {
        BearerTokens shared = BearerTokens.of(new LedgerProperties.Tokens(AUDITOR, AUDITOR, null));
        assertThat(shared.rolesOf(AUDITOR)).isEqualTo(Set.of(Role.AUDITOR, Role.FINANCE));
    }

    @Test
    void tokensNeverAppearInPrintedSettings() {
        LedgerProperties.Tokens settings = new LedgerProperties.Tokens(AUDITOR, null, OPERATOR);
        assertThat(settings.toString()).doesNotContain(AUDITOR, OPERATOR)
                .isEqualTo("Tokens[auditor=set, finance=unset, operator=set]");
        assertThat(tokens.toString()).doesNotContain(AUDITOR, FINANCE, OPERATOR);
        assertThat(BearerAuthentication.presented(AUDITOR).toString()).doesNotContain(AUDITOR);
    }

    @Test
    void aRecognisedTokenKeepsOnlyItsRoles() {
        BearerAuthentication recognised = BearerAuthentication.recognised(Set.of(Role.OPERATOR));
        assertThat(recognised.isAuthenticated()).isTrue();
        assertThat(recognised.getCredentials()).isNull();
        assertThat(recognised.getName()).isEqualTo("operator");
        assertThat(recognised.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_OPERATOR");
        assertThat(BearerAuthentication.presented(AUDITOR).isAuthenticated()).isFalse();
    }
}
