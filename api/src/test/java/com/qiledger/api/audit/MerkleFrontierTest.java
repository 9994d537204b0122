package com.qiledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.Example;

/** The right edge of a growing tree gives the root of RFC 6962 over all its leaves, at every size. */
class MerkleFrontierTest {

    @Property(tries = 300)
    void theFrontiersRootIsTheTreesRootAtEverySizeAndAfterEveryRestart(@ForAll long seed,
                                                                       @ForAll @IntRange(min = 0, max = 300) int n) {
        Random random = new Random(seed);
        List<byte[]> leaves = new ArrayList<>();
        MerkleFrontier frontier = MerkleFrontier.empty();
        assertThat(frontier.root()).isEqualTo(MerkleTree.root(leaves));
        for (int i = 0; i < n; i++) {
            byte[] leaf = new byte[32];
            random.nextBytes(leaf);
            leaves.add(leaf);
            frontier.append(leaf);
            if (random.nextInt(5) == 0) {
                // as the next digest reads it back from the last one's row
                frontier = MerkleFrontier.decode(frontier.size(), frontier.encoded());
            }
            assertThat(frontier.size()).isEqualTo(leaves.size());
            assertThat(frontier.encoded()).hasSize(32 * Integer.bitCount(leaves.size()));
            assertThat(frontier.root()).isEqualTo(MerkleTree.root(leaves));
        }
    }

    @Example
    void aFrontierOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> MerkleFrontier.decode(3, new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleFrontier.decode(4, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
