package com.qiledger.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import org.junit.jupiter.api.Test;

class Es512ProviderTest {

    @Test
    void theNativeProviderIsChosenWhereItLoads() {
        Es512Provider.Choice choice = Es512Provider.choose();
        // this project's machines (and CI's) are linux x86_64, where the Corretto provider's library loads
        assertThat(choice.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(choice.description()).contains("native");
    }

    @Test
    void aProviderThatCannotLoadFallsBackToTheJdkAndSaysWhy() {
        Es512Provider.Choice choice = Es512Provider.choose(List.of(() -> {
            throw new UnsatisfiedLinkError("no libamazonCorrettoCryptoProvider in java.library.path");
        }), () -> Security.getProvider("SunEC"));
        assertThat(choice.provider().getName()).isEqualTo("SunEC");
        assertThat(choice.description()).contains("the JDK's", "UnsatisfiedLinkError", "libamazonCorrettoCryptoProvider");
    }

    @Test
    void aProviderWithoutTheAlgorithmFailsItsSelfTestAndIsNotUsed() {
        Provider empty = new Provider("Empty", "1", "knows no algorithm") { };
        Es512Provider.Choice choice = Es512Provider.choose(List.of(() -> empty), () -> Security.getProvider("SunEC"));
        assertThat(choice.provider().getName()).isEqualTo("SunEC");
        assertThat(choice.description()).contains("NoSuchAlgorithmException");
    }
}
