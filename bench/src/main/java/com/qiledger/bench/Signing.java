package com.qiledger.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider's side of the signed phase (issue 20): a fresh P-521 key pair and client key, the
 * service arguments that make the service check them ({@code --ledger.webhook.auth=qitech-es512}),
 * and the provider's signature of each delivery, as {@code QiTechEs512Authentication} verifies it:
 * header {@code AUTHORIZATION} = an ES512 JWT over {@code payload_md5} (hex MD5 of the exact body
 * bytes), {@code timestamp} (UTC ISO-8601 instant), {@code method} ({@code POST}) and {@code uri}
 * ({@code /webhooks/qitech}); header {@code API-CLIENT-KEY} = the client key.
 *
 * <p>Deliveries are signed before each timed part ({@link Presigned#prepare}), on every core, so the
 * load generator's signing CPU is not charged to the service while it runs. The signing provider is
 * the Amazon Corretto Crypto Provider (native) where it loads, else the JDK's (slower; said in the output).
 */
final class Signing {

    static final String AUTHORIZATION = "AUTHORIZATION";
    static final String CLIENT_KEY = "API-CLIENT-KEY";
    /** The service's default {@code ledger.webhook.max-clock-skew}; the bench does not change it. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** How old or new a signature may be when sent, leaving a margin inside {@link #MAX_CLOCK_SKEW}. */
    private static final Duration SAFE_AGE = Duration.ofMinutes(3);

    private final Provider provider;
    private final String providerDescription;
    private final boolean nativeProvider;
    private final KeyPair keys;
    private final String clientKey = UUID.randomUUID().toString();

    private Signing(Provider provider, String providerDescription, boolean nativeProvider, KeyPair keys) {
        this.provider = provider;
        this.providerDescription = providerDescription;
        this.nativeProvider = nativeProvider;
        this.keys = keys;
    }

    /** Chooses the signing provider and generates the provider's key pair with it. */
    static Signing create() throws GeneralSecurityException {
        Provider provider;
        String description;
        boolean nativeProvider;
        try {
            AmazonCorrettoCryptoProvider.install();
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            provider = AmazonCorrettoCryptoProvider.INSTANCE;
            description = provider.getName() + " " + provider.getVersionStr() + " (native)";
            nativeProvider = true;
        } catch (Exception | LinkageError e) {
            // install() may have put it first: take it out again, so that nothing else uses it either.
            Security.removeProvider("AmazonCorrettoCryptoProvider");
            provider = Security.getProvider("SunEC");
            description = provider.getName() + " (the JDK's, far slower: the native provider cannot be used here: "
                    + e + ")";
            nativeProvider = false;
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp521r1"));
        return new Signing(provider, description, nativeProvider, generator.generateKeyPair());
    }

    String providerDescription() {
        return providerDescription;
    }

    boolean nativeProvider() {
        return nativeProvider;
    }

    /** The provider's public key, as the service reads {@code ledger.webhook.public-key} (PEM, SubjectPublicKeyInfo). */
    String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The service's webhook-authentication arguments for this key pair; {@code publicKey}: PEM text or a PEM file. */
    List<String> serviceArguments(String publicKey) {
        return List.of("--ledger.webhook.auth=qitech-es512",
                "--ledger.webhook.public-key=" + publicKey,
                "--ledger.webhook.client-key=" + clientKey);
    }

    /** {@code base}'s deliveries, signed before each timed part; see {@link Presigned}. */
    Presigned presigned(Workloads.Workload base, long seed) {
        return new Presigned(base, seed);
    }

    /** One signer per thread: Nimbus's ES512 signer on the chosen provider, and an MD5 digest. */
    private final class Signer {
        private final ECDSASigner signer;
        private final MessageDigest md5;

        Signer() throws JOSEException, GeneralSecurityException {
            signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
            signer.getJCAContext().setProvider(provider);
            md5 = MessageDigest.getInstance("MD5");
        }

        /** The delivery with its signature headers, signed as if sent at {@code at}. */
        Workloads.Delivery sign(Workloads.Delivery delivery, Instant at) throws JOSEException {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .claim("payload_md5", HexFormat.of().formatHex(md5.digest(delivery.body())))
                    .claim("timestamp", at.truncatedTo(ChronoUnit.MICROS).toString())
                    .claim("method", "POST")
                    .claim("uri", Http.WEBHOOK_PATH)
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES512), claims);
            jwt.sign(signer);
            return new Workloads.Delivery(delivery.body(), delivery.template(), delivery.entity(),
                    delivery.entityKey(), AUTHORIZATION, jwt.serialize(), CLIENT_KEY, clientKey);
        }
    }

    /**
     * A workload whose deliveries are rendered and signed before each timed part: {@link #prepare}
     * makes and signs them on every core, {@link #next} hands them out in order and never signs.
     */
    final class Presigned implements Workloads.Workload {
        private final Workloads.Workload base;
        private final SplittableRandom seeds;
        private final List<Map<String, Object>> parts = new ArrayList<>();
        private volatile Workloads.Delivery[] ready = new Workloads.Delivery[0];
        private final AtomicInteger handedOut = new AtomicInteger();

        private Presigned(Workloads.Workload base, long seed) {
            this.base = base;
            this.seeds = new SplittableRandom(seed);
        }

        @Override
        public String name() {
            return base.name() + "-signed";
        }

        @Override
        public Map<String, Integer> proportions() {
            return base.proportions();
        }

        /**
         * Renders and signs {@code count} fresh deliveries on every core. Each is dated when it is
         * signed, so it is that much older when sent; for a part longer than {@link #SAFE_AGE} they are
         * dated later by the excess, at most {@link #SAFE_AGE} (the service accepts {@link #MAX_CLOCK_SKEW}
         * either way), so that the last ones sent are not too old either. A part that even so outlasts
         * the window is warned of (its late deliveries would be answered 401, counted as failed).
         */
        @Override
        public long prepare(long count, Duration lasting) {
            ready = new Workloads.Delivery[0]; // the previous part's may go before the next ones are made
            int n = Math.toIntExact(count);
            Workloads.Delivery[] made = new Workloads.Delivery[n];
            Duration dateAhead = lasting.compareTo(SAFE_AGE) <= 0 ? Duration.ZERO
                    : lasting.minus(SAFE_AGE).compareTo(SAFE_AGE) < 0 ? lasting.minus(SAFE_AGE) : SAFE_AGE;
            int threads = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
            long started = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                SplittableRandom random = seeds.split();
                Thread worker = new Thread(() -> {
                    try {
                        Signer signer = new Signer();
                        for (int i = from; i < to; i++) {
                            made[i] = signer.sign(base.next(random), Instant.now().plus(dateAhead));
                        }
                    } catch (Exception | Error e) {
                        failures.add(e);
                    }
                }, "presign-" + t);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while signing", e);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("signing failed: " + failures.get(0), failures.get(0));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // The oldest a signature can be when sent: signed first, sent last.
            double oldest = seconds + lasting.toSeconds() - dateAhead.toSeconds();
            if (oldest > MAX_CLOCK_SKEW.toSeconds()) {
                System.out.printf("   !! signing took %.0f s and the part lasts %d s: its last deliveries may be %.0f s "
                        + "old when sent, more than the service's %d s (they would be refused: 401)%n", seconds,
                        lasting.toSeconds(), oldest, MAX_CLOCK_SKEW.toSeconds());
            }
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("requests", n);
            part.put("for_seconds", lasting.toSeconds());
            part.put("signing_seconds", seconds);
            part.put("signed_per_second", n / seconds);
            part.put("threads", threads);
            part.put("dated_ahead_seconds", dateAhead.toSeconds());
            parts.add(part);
            System.out.printf("   signed %d deliveries in %.1f s (%.0f/s on %d threads)%n", n, seconds, n / seconds,
                    threads);
            handedOut.set(0);
            ready = made;
            return n;
        }

        @Override
        public Workloads.Delivery next(SplittableRandom random) {
            Workloads.Delivery[] deliveries = ready;
            int i = handedOut.getAndIncrement();
            if (i >= deliveries.length) {
                throw new IllegalStateException("all " + deliveries.length + " pre-signed deliveries are used: "
                        + "the part should have stopped at its cap");
            }
            Workloads.Delivery delivery = deliveries[i];
            deliveries[i] = null; // sent once; its memory can go
            return delivery;
        }

        /** Each {@link #prepare}: how many, for how long a part, how fast they were signed. */
        List<Map<String, Object>> parts() {
            return parts;
        }
    }
}
