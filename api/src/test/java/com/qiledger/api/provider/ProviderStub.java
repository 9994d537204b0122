package com.qiledger.api.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestMatcherExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The provider's API as a local HTTP stub (WireMock) that checks every request the way the provider
 * does: {@code API-CLIENT-KEY}, an ES512 JWT in {@code AUTHORIZATION} that verifies with the partner's
 * public key, whose {@code payload_md5} is the MD5 of the body received, {@code method} and {@code uri}
 * those of the request, and a fresh {@code timestamp}. A request that fails any check matches no stub
 * but the fallback, which answers {@code 401}; so an answer a test scripted is only ever given to a
 * correctly signed request.
 */
public final class ProviderStub implements AutoCloseable {

    public static final String CLIENT_KEY = "partner-client-key-for-tests";

    private final WireMockServer server;
    private final ECPublicKey publicKey;
    /** Every check a request failed, with its path, since the last {@link #reset()}. */
    private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ProviderStub() {
        this(new Extension[0]);
    }

    /** With WireMock extensions, e.g. a transformer that answers like the provider's notification API. */
    public ProviderStub(Extension... extensions) {
        this.publicKey = publicKey(resource("partner-public.pem"));
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(extensions));
        server.start();
        reset();
    }

    /** Where the test keys are, as files (the service reads its key from a path, or inline). */
    public static Path keyFile(String name) {
        try {
            return Path.of(ProviderStub.class.getResource("/provider/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String resource(String name) {
        try (InputStream in = ProviderStub.class.getResourceAsStream("/provider/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Forgets every stub and request; only the 401 fallback stays. */
    public void reset() {
        refusals.clear();
        server.resetAll();
        server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"title\": \"unauthenticated\"}")));
    }

    /** A signed POST to {@code path} answered {@code answer}. */
    public void answer(String path, ResponseDefinitionBuilder answer) {
        server.stubFor(signed(path).willReturn(answer));
    }

    /** Signed POSTs to {@code path} answered one after the other; the last answer repeats. */
    public void answerInTurn(String path, ResponseDefinitionBuilder... answers) {
        String scenario = "turns " + path;
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "turn " + i;
            com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder mapping = signed(path).inScenario(scenario)
                    .whenScenarioStateIs(state);
            if (i < answers.length - 1) {
                mapping = mapping.willSetStateTo("turn " + (i + 1));
            }
            server.stubFor(mapping.willReturn(answers[i]));
        }
    }

    private MappingBuilder signed(String path) {
        return WireMock.post(WireMock.urlPathEqualTo(path)).atPriority(1).andMatching(new SignatureCheck());
    }

    /** A stub for signed requests only (any method, any URL {@code mapping} names); others still get the 401. */
    public void stubSigned(MappingBuilder mapping) {
        server.stubFor(mapping.atPriority(1).andMatching(new SignatureCheck()));
    }

    /** Every request received at {@code path}, in order of arrival. */
    public List<LoggedRequest> requests(String path) {
        List<LoggedRequest> requests = new ArrayList<>(server.findAll(WireMock.anyRequestedFor(
                WireMock.urlPathEqualTo(path))));
        requests.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return requests;
    }

    /** The checks requests failed since the last reset, as {@code path: check}. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Every request, signed or not. */
    public List<LoggedRequest> all() {
        return server.findAll(WireMock.anyRequestedFor(anyUrl()));
    }

    /** Why a request fails the provider's checks, or null when it passes them all. */
    public String refusal(Request request) {
        String client = request.getHeader(ProviderClient.CLIENT_KEY_HEADER);
        if (!CLIENT_KEY.equals(client)) {
            return "API-CLIENT-KEY";
        }
        try {
            SignedJWT jwt = SignedJWT.parse(request.getHeader("AUTHORIZATION"));
            if (!JWSAlgorithm.ES512.equals(jwt.getHeader().getAlgorithm())) {
                return "alg";
            }
            if (!jwt.verify(new ECDSAVerifier(publicKey))) {
                return "signature";
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(request.getBody()));
            if (!md5.equals(claims.getStringClaim("payload_md5"))) {
                return "payload_md5";
            }
            if (!request.getMethod().getName().equals(claims.getStringClaim("method"))) {
                return "method";
            }
            if (!request.getUrl().equals(claims.getStringClaim("uri"))) {
                return "uri";
            }
            Instant at = Instant.parse(claims.getStringClaim("timestamp"));
            if (Duration.between(at, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) > 0) {
                return "timestamp";
            }
            return null;
        } catch (Exception e) {
            return "token: " + e.getClass().getSimpleName();
        }
    }

    private final class SignatureCheck extends RequestMatcherExtension {
        @Override
        public MatchResult match(Request request, Parameters parameters) {
            String refusal = refusal(request);
            if (refusal != null) {
                refusals.add(request.getUrl() + ": " + refusal);
            }
            return MatchResult.of(refusal == null);
        }
    }

    static ECPublicKey publicKey(String pem) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                    .replaceAll("\\s", ""));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
