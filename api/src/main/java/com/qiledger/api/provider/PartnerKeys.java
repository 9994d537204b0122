package com.qiledger.api.provider;

import com.nimbusds.jose.jwk.Curve;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the partner's ES512 private key as the provider hands it out: PEM {@code -----BEGIN EC PRIVATE
 * KEY-----} (SEC 1, RFC 5915), or PEM {@code -----BEGIN PRIVATE KEY-----} (PKCS#8); the setting holds
 * the PEM text or the path of a file with it. Only a P-521 key signs ES512. Error messages never quote
 * the key.
 */
public final class PartnerKeys {

    static final String SETTING = "ledger.provider.private-key";
    /** secp521r1, 1.3.132.0.35, DER-encoded. */
    private static final byte[] P521_OID = {0x06, 0x05, 0x2b, (byte) 0x81, 0x04, 0x00, 0x23};

    private PartnerKeys() {
    }

    public static ECPrivateKey privateKey(String configured) {
        String pem = configured.strip();
        if (!pem.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(pem)).strip();
            } catch (Exception e) {
                throw new IllegalStateException(SETTING + " is neither PEM text nor a readable PEM file ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        boolean sec1 = pem.startsWith("-----BEGIN EC PRIVATE KEY-----");
        if (!sec1 && !pem.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(SETTING + " must be PEM '-----BEGIN EC PRIVATE KEY-----' or "
                    + "'-----BEGIN PRIVATE KEY-----' (PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "")
                    .replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(SETTING + " is not valid base64 inside its PEM armour", e);
        }
        ECPrivateKey key;
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            key = sec1
                    ? (ECPrivateKey) ec.generatePrivate(new ECPrivateKeySpec(sec1PrivateValue(der),
                            Curve.P_521.toECParameterSpec()))
                    : (ECPrivateKey) ec.generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(SETTING + " is not an EC private key (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        if (!Curve.P_521.equals(Curve.forECParameterSpec(key.getParams()))) {
            throw new IllegalStateException(SETTING + " must be an EC P-521 key for ES512");
        }
        return key;
    }

    /**
     * The private value of a SEC 1 {@code ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET
     * STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }}; the parameters, when present, must
     * name secp521r1.
     */
    static BigInteger sec1PrivateValue(byte[] der) {
        Der sequence = Der.read(der, 0);
        if (sequence.tag != 0x30) {
            throw new IllegalStateException(SETTING + ": an EC PRIVATE KEY is a DER SEQUENCE");
        }
        Der version = Der.read(der, sequence.contentStart);
        Der value = Der.read(der, version.end);
        if (version.tag != 0x02 || value.tag != 0x04) {
            throw new IllegalStateException(SETTING + ": not an EC PRIVATE KEY (version, privateKey)");
        }
        int next = value.end;
        if (next < sequence.end && (der[next] & 0xff) == 0xa0) {
            Der parameters = Der.read(der, next);
            byte[] oid = Arrays.copyOfRange(der, parameters.contentStart, parameters.end);
            if (!Arrays.equals(oid, P521_OID)) {
                throw new IllegalStateException(SETTING + " must be an EC P-521 key (secp521r1) for ES512");
            }
        }
        return new BigInteger(1, Arrays.copyOfRange(der, value.contentStart, value.end));
    }

    /** One DER element: its tag, where its content starts and where it ends. */
    private record Der(int tag, int contentStart, int end) {

        static Der read(byte[] der, int at) {
            if (at + 2 > der.length) {
                throw new IllegalStateException(SETTING + ": truncated DER");
            }
            int tag = der[at] & 0xff;
            int length = der[at + 1] & 0xff;
            int start = at + 2;
            if (length > 0x80) {
                int bytes = length - 0x80;
                if (bytes > 3 || start + bytes > der.length) {
                    throw new IllegalStateException(SETTING + ": bad DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += bytes;
            } else if (length == 0x80) {
                throw new IllegalStateException(SETTING + ": indefinite DER length");
            }
            if (start + length > der.length) {
                throw new IllegalStateException(SETTING + ": truncated DER");
            }
            return new Der(tag, start, start + length);
        }
    }
}
