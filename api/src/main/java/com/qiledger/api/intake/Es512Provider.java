package com.qiledger.api.intake;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which JCA provider verifies the provider's ES512 (ECDSA P-521, SHA-512) signatures (issue 20): the
 * Amazon Corretto Crypto Provider (native, AWS-LC) where its library loads, about ten times the JDK's
 * rate on this machine (one thread: 2,962 verifies/s against SunEC's 89 to 232), else the JDK's own.
 * It is not installed JVM-wide: only the webhook verifier uses it. Chosen once, at start, after a
 * self-test (sign with the JDK, verify with the candidate, refuse a changed message), and said in
 * the log.
 */
final class Es512Provider {

    static final String ALGORITHM = "SHA512withECDSA";

    /** A provider, and a description of it (with why a faster one was not taken). */
    record Choice(Provider provider, String description) {
    }

    private Es512Provider() {
    }

    static Choice choose() {
        return choose(List.of(Es512Provider::corretto), () -> Security.getProvider("SunEC"));
    }

    /** The first candidate that loads and passes the self-test, else {@code fallback}. */
    static Choice choose(List<Supplier<Provider>> candidates, Supplier<Provider> fallback) {
        StringBuilder refused = new StringBuilder();
        for (Supplier<Provider> candidate : candidates) {
            try {
                Provider provider = candidate.get();
                selfTest(provider);
                return new Choice(provider, provider.getName() + " " + provider.getVersionStr() + " (native)");
            } catch (Exception | LinkageError e) {
                refused.append(refused.isEmpty() ? "" : "; ").append(e.getClass().getSimpleName())
                        .append(e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        Provider jdk = fallback.get();
        return new Choice(jdk, jdk.getName() + " (the JDK's" + (refused.isEmpty() ? ")"
                : "; the native provider cannot be used here: " + refused + ")"));
    }

    private static Provider corretto() {
        com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable error = accp.getLoadingError();
        if (error != null) {
            throw new IllegalStateException("its native library did not load (" + error + ")");
        }
        return accp;
    }

    /** A signature made by the JDK verifies with {@code provider}, and one over another message does not. */
    static void selfTest(Provider provider) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp521r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] message = "qi-ledger self-test".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(ALGORITHM);
        signer.initSign(pair.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(ALGORITHM, provider);
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("it refused a valid signature");
        }
        verifier.initVerify(pair.getPublic());
        verifier.update("qi-ledger self-test!".getBytes(StandardCharsets.UTF_8));
        if (verifier.verify(signature)) {
            throw new IllegalStateException("it accepted a signature over another message");
        }
    }
}
