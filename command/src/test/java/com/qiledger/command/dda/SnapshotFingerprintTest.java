package com.qiledger.command.dda;

import static com.qiledger.command.dda.DdaBankSlipSamples.PAID;
import static com.qiledger.command.dda.DdaBankSlipSamples.REGISTERED;
import static com.qiledger.command.dda.DdaBankSlipSamples.withCodes;
import static com.qiledger.command.dda.DdaBankSlipSamples.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaParty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotFingerprintTest {

    static DdaBankSlipSnapshot minimal(DdaParty payer, List<Map<String, String>> calculations) {
        return new DdaBankSlipSnapshot(null, null, DdaBankSlipStatus.REGISTERED, null, null, null, null, null, null,
                null, null, null, null, payer, null, null, null, null, null, calculations, null);
    }

    @Test
    void theCanonicalRenderingIsFixedAndLeavesNullsOut() {
        Map<String, String> calculation = new LinkedHashMap<>();
        calculation.put("z", "1.50");
        calculation.put("a", null);
        assertThat(SnapshotFingerprint.canonical(minimal(new DdaParty("Jo\"ão\\", null, "123\n"),
                List.of(calculation))))
                .isEqualTo("dda-bank-slip-snapshot/1\n{\"status\":\"registered\",\"payer\":{\"name\":\"Jo\\\"ão\\\\\","
                        + "\"document_number\":\"123\\u000a\"},\"calculations\":[{\"a\":null,\"z\":\"1.50\"}]}");
    }

    @Test
    void theSeedFingerprintsAreStable() {
        // Pinned: a change here changes the identity of every stored snapshot (see SnapshotFingerprint).
        assertThat(SnapshotFingerprint.of(REGISTERED)).isEqualTo(SEED_REGISTRATION);
        assertThat(SnapshotFingerprint.of(PAID)).isEqualTo(SEED_UPDATE);
    }

    /** SHA-256 of the canonical texts written out by hand (and hashed outside Java). */
    static final String SEED_REGISTRATION = "63337124d3f8d629cb2a951f3e4569e25861286279993b28e579c9227ae94aa4";
    static final String SEED_UPDATE = "5a9cbf1b6a0c06b21d65df88dca287cf04ece04d0d7a7fefe191a2f4558c9289";

    @Test
    void everyFieldTakesPartInTheIdentity() {
        assertThat(SnapshotFingerprint.of(REGISTERED)).isNotEqualTo(SnapshotFingerprint.of(PAID));
        assertThat(SnapshotFingerprint.of(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "10.0")))
                .as("amounts keep their scale").isNotEqualTo(SnapshotFingerprint.of(
                        withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "10.00")));
        assertThat(SnapshotFingerprint.of(withCodes(REGISTERED, null, REGISTERED.digitableLine())))
                .isNotEqualTo(SnapshotFingerprint.of(withCodes(REGISTERED, "", REGISTERED.digitableLine())));
        assertThat(SnapshotFingerprint.of(minimal(new DdaParty("a", null, null), null)))
                .isNotEqualTo(SnapshotFingerprint.of(minimal(new DdaParty(null, "a", null), null)));
        assertThat(SnapshotFingerprint.of(minimal(null, List.of())))
                .as("an empty list is not an absent one").isNotEqualTo(SnapshotFingerprint.of(minimal(null, null)));
    }

    @Test
    void memberOrderOfCalculationsDoesNotMatter() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(minimal(null, List.of(ab))).isEqualTo(minimal(null, List.of(ba)));
        assertThat(SnapshotFingerprint.of(minimal(null, List.of(ab))))
                .isEqualTo(SnapshotFingerprint.of(minimal(null, List.of(ba))));
    }

    @Test
    void personalDataStaysOutOfTextRenderings() {
        assertThat(REGISTERED.toString()).doesNotContain("12345678900", "12345678000100", "03903984900",
                "João", "Maria");
    }
}
