package com.qiledger.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.intake.StoredSignature;
import com.qiledger.embedded.EmbeddedPostgres;
import java.security.interfaces.ECPublicKey;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar qi-ledger.jar verify [--ledger.data-dir=DIR [--ledger.embedded.binaries-dir=DIR] |
 * --spring.datasource.url=URL [--spring.datasource.username=U] [--spring.datasource.password=P]]
 * [--digest=FILE] [--public-key=FILE] [--ledger.webhook.public-key=PEM --ledger.webhook.client-key=KEY]}:
 * recomputes every chain and digest from the rows in one read-only snapshot and prints one line per
 * break. Exit 0 when everything holds, 1 on any break, 2 when it could not check. No Spring context,
 * no HTTP server, no write: the connection is read-only, and on a data folder the embedded PostgreSQL
 * is started only for the check (never initialised, never while a ledger runs on it).
 */
public final class VerifyCommand {

    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int UNCHECKED = 2;
    private static final int FETCH = 500;
    private static final int ROOTS = 50;

    private VerifyCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("verify")) {
                continue;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                err.println("verify: unknown argument " + arg);
                return UNCHECKED;
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Optional<Digest> saved;
        Optional<PublicKey> trusted;
        try {
            saved = options.containsKey("digest")
                    ? Optional.of(Digest.fromJson(new ObjectMapper().readTree(Files.readString(Path.of(
                    options.get("digest"))))))
                    : Optional.empty();
            trusted = options.containsKey("public-key")
                    ? Optional.of(LedgerKey.readPublicKey(Files.readString(Path.of(options.get("public-key")))))
                    : Optional.empty();
        } catch (Exception e) {
            err.println("verify: cannot read the saved digest or the public key: " + e.getMessage());
            return UNCHECKED;
        }
        String url = options.get("spring.datasource.url");
        EmbeddedPostgres server = null;
        try {
            Connection connection;
            if (url != null && !url.isBlank()) {
                connection = connect(url, options.getOrDefault("spring.datasource.username", ""),
                        options.getOrDefault("spring.datasource.password", ""));
            } else {
                Path dir = Path.of(options.getOrDefault("ledger.data-dir", "./data")).toAbsolutePath().normalize();
                Path pgdata = dir.resolve("pgdata");
                if (!Files.isDirectory(pgdata)) {
                    err.println("verify: no ledger in " + dir + " (no pgdata folder)");
                    return UNCHECKED;
                }
                if (running(pgdata)) {
                    err.println("verify: a PostgreSQL runs on " + pgdata + "; stop the ledger first, or verify through "
                            + "--spring.datasource.url");
                    return UNCHECKED;
                }
                EmbeddedPostgres.Settings settings = EmbeddedPostgres.Settings.of(dir);
                if (options.containsKey("ledger.embedded.binaries-dir")) {
                    settings = settings.withBinariesDir(Path.of(options.get("ledger.embedded.binaries-dir")));
                }
                server = EmbeddedPostgres.start(settings);
                connection = connect(server.jdbcUrl(), server.username(), server.password());
            }
            try (connection) {
                Verification result = verify(connection, saved, trusted, providerCheck(options));
                result.breaks().forEach(b -> out.println(b.line()));
                result.notes().forEach(n -> out.println("NOTE " + n));
                out.println((result.breaks().isEmpty() ? "INTACT" : "BROKEN " + result.breaks().size() + " breaks")
                        + ": " + result.events() + " events, " + result.links() + " chain links, "
                        + result.receipts() + " receipts checked");
                return result.breaks().isEmpty() ? INTACT : BROKEN;
            }
        } catch (SQLException | RuntimeException e) {
            err.println("verify: could not check: " + e.getMessage());
            return UNCHECKED;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** PostgreSQL's driver directly: the jar's nested class loader need not be DriverManager's. */
    private static Connection connect(String url, String user, String password) throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("readOnly", "true");
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }

    private static boolean running(Path pgdata) {
        try {
            Path pid = pgdata.resolve("postmaster.pid");
            if (!Files.exists(pid)) {
                return false;
            }
            long id = Long.parseLong(Files.readAllLines(pid).get(0).trim());
            return ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * With {@code --ledger.webhook.public-key} (and {@code --ledger.webhook.client-key}), each stored
     * provider signature is verified again as the service's signature endpoint does.
     */
    static Verification.SignatureCheck providerCheck(Map<String, String> options) {
        String key = options.get("ledger.webhook.public-key");
        if (key == null || key.isBlank()) {
            return null;
        }
        ECPublicKey provider = StoredSignature.providerKey(key);
        String clientKey = options.get("ledger.webhook.client-key");
        return signatureCheck(provider, clientKey);
    }

    public static Verification.SignatureCheck signatureCheck(ECPublicKey provider, String clientKey) {
        return r -> new StoredSignature(r.signatureMethod(), r.signatureUri(), r.signatureAuthorization(),
                r.signatureClientKey())
                .reverify(provider, clientKey == null ? r.signatureClientKey() : clientKey, r.body())
                .map(refusal -> refusal.check() + " (" + refusal.detail() + ")");
    }

    /** Every check, in one read-only repeatable-read transaction on the connection. */
    public static Verification verify(Connection connection, Optional<Digest> saved, Optional<PublicKey> trusted)
            throws SQLException {
        return verify(connection, saved, trusted, null);
    }

    public static Verification verify(Connection connection, Optional<Digest> saved, Optional<PublicKey> trusted,
                                      Verification.SignatureCheck signatures) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        Verification v = check(connection, saved, trusted, signatures);
        connection.rollback();
        return v;
    }

    /** Every check, in the connection's current transaction (autocommit off). */
    public static Verification check(Connection connection, Optional<Digest> saved, Optional<PublicKey> trusted)
            throws SQLException {
        return check(connection, saved, trusted, null);
    }

    public static Verification check(Connection connection, Optional<Digest> saved, Optional<PublicKey> trusted,
                                     Verification.SignatureCheck signatures) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('public.audit_chain') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new SQLException("this database has no audit_chain table: not a ledger at version 17 or later");
                }
            }
        }
        Verification v = new Verification().checkingSignatures(signatures);
        try (PreparedStatement receipts = connection.prepareStatement("""
                SELECT receipt_id, body, body_sha256, received_at, content_type, webhook_type, audit_seq,
                    signature_method, signature_uri, signature_authorization, signature_client_key
                FROM receipt ORDER BY receipt_id""")) {
            receipts.setFetchSize(FETCH);
            try (ResultSet rs = receipts.executeQuery()) {
                while (rs.next()) {
                    v.receipt(new Verification.ReceiptRow(rs.getObject(1).toString(), rs.getBytes(2), rs.getBytes(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getLong(7),
                            rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        try (PreparedStatement events = connection.prepareStatement("""
                SELECT globalindex, aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,
                    payloadrevision, payloadtype, timestamp
                FROM domainevententry ORDER BY aggregateidentifier COLLATE "C", sequencenumber, globalindex""");
             PreparedStatement links = connection.prepareStatement("""
                SELECT aggregate_id, seq, global_index, event_id, receipt_id, receipt_sha256, payload_sha256, hash
                FROM audit_chain ORDER BY aggregate_id COLLATE "C", seq""")) {
            events.setFetchSize(FETCH);
            links.setFetchSize(FETCH);
            try (ResultSet e = events.executeQuery(); ResultSet l = links.executeQuery()) {
                Verification.EventRow nextEvent = e.next() ? event(e) : null;
                Verification.LinkRow nextLink = l.next() ? link(l) : null;
                while (nextEvent != null || nextLink != null) {
                    String stream = nextEvent == null ? nextLink.aggregateId()
                            : nextLink == null ? nextEvent.aggregateId()
                            : DigestLeaves.STREAM_ORDER.compare(nextEvent.aggregateId(), nextLink.aggregateId()) <= 0
                            ? nextEvent.aggregateId() : nextLink.aggregateId();
                    List<Verification.EventRow> streamEvents = new ArrayList<>();
                    while (nextEvent != null && nextEvent.aggregateId().equals(stream)) {
                        streamEvents.add(nextEvent);
                        nextEvent = e.next() ? event(e) : null;
                    }
                    List<Verification.LinkRow> streamLinks = new ArrayList<>();
                    while (nextLink != null && nextLink.aggregateId().equals(stream)) {
                        streamLinks.add(nextLink);
                        nextLink = l.next() ? link(l) : null;
                    }
                    v.stream(stream, streamEvents, streamLinks);
                }
            }
        }
        List<Digest> kept = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM audit_digest ORDER BY digest_id")) {
            while (rs.next()) {
                kept.add(Digests.digest(rs));
            }
        }
        v.digests(kept, saved, trusted, ROOTS);
        return v;
    }

    private static Verification.EventRow event(ResultSet rs) throws SQLException {
        return new Verification.EventRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getString(8), rs.getString(9), rs.getString(10));
    }

    private static Verification.LinkRow link(ResultSet rs) throws SQLException {
        return new Verification.LinkRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8));
    }
}
