package com.qiledger.api.audit;

import com.qiledger.api.platform.LedgerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ledger's own Ed25519 key, which signs its digests: {@code ledger.audit.signing-key} (a PEM, inline
 * or a path, with a PRIVATE KEY block in PKCS#8 and a PUBLIC KEY block), or else one generated into
 * {@code <data-dir>/audit/ledger-signing-key.pem} at the first start and kept there. Nodes sharing one
 * database should share one key through the setting.
 */
@Component
public class LedgerKey {

    private static final Logger log = LoggerFactory.getLogger(LedgerKey.class);
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|PUBLIC KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    public LedgerKey(LedgerProperties properties) {
        String pem = properties.audit().signingKey();
        try {
            if (pem == null || pem.isBlank()) {
                Path file = properties.dataDir().resolve("audit").resolve("ledger-signing-key.pem");
                if (!Files.exists(file)) {
                    generate(file);
                }
                pem = Files.readString(file);
            } else if (!pem.contains("-----BEGIN")) {
                pem = Files.readString(Path.of(pem.trim()));
            }
            KeyFactory keys = KeyFactory.getInstance(Digest.ALGORITHM);
            Matcher blocks = BLOCK.matcher(pem);
            PrivateKey priv = null;
            PublicKey pub = null;
            while (blocks.find()) {
                byte[] der = Base64.getMimeDecoder().decode(blocks.group(2).replaceAll("\\s", ""));
                if (blocks.group(1).equals("PRIVATE KEY")) {
                    priv = keys.generatePrivate(new PKCS8EncodedKeySpec(der));
                } else {
                    pub = keys.generatePublic(new X509EncodedKeySpec(der));
                }
            }
            if (priv == null || pub == null) {
                throw new IllegalStateException("ledger.audit.signing-key needs a PRIVATE KEY and a PUBLIC KEY block "
                        + "(Ed25519)");
            }
            this.privateKey = priv;
            this.publicKey = pub;
            if (!Digest.publicKey(pub.getEncoded()).equals(pub) || !pairs(priv, pub)) {
                throw new IllegalStateException("ledger.audit.signing-key: the public key is not the private key's");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the ledger's signing key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ledger.audit.signing-key is not an Ed25519 key pair: " + e.getMessage(),
                    e);
        }
    }

    private static boolean pairs(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
        byte[] probe = "qi-ledger key check".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance(Digest.ALGORITHM);
        s.initSign(priv);
        s.update(probe);
        byte[] signature = s.sign();
        s.initVerify(pub);
        s.update(probe);
        return s.verify(signature);
    }

    private static void generate(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(Digest.ALGORITHM).generateKeyPair();
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), "ledger-signing-key", ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        try {
            Files.move(partial, file);
            log.info("generated the ledger's Ed25519 signing key in {}", file);
        } catch (java.nio.file.FileAlreadyExistsException another) {
            // a node sharing the folder generated one first: that one is the key
            Files.deleteIfExists(partial);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public byte[] sign(byte[] statement) {
        try {
            Signature s = Signature.getInstance(Digest.ALGORITHM);
            s.initSign(privateKey);
            s.update(statement);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the ledger's key", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** SHA-256 of the public key's DER, hex: how a digest names its key. */
    public String keyId() {
        return ChainEncoding.hex(ChainEncoding.sha256(publicKey.getEncoded()));
    }

    /** Reads a PUBLIC KEY PEM (the verifier's {@code --public-key}). */
    public static PublicKey readPublicKey(String pem) throws GeneralSecurityException {
        Matcher blocks = BLOCK.matcher(pem);
        while (blocks.find()) {
            if (blocks.group(1).equals("PUBLIC KEY")) {
                return Digest.publicKey(Base64.getMimeDecoder().decode(blocks.group(2).replaceAll("\\s", "")));
            }
        }
        throw new GeneralSecurityException("no PUBLIC KEY block");
    }
}
