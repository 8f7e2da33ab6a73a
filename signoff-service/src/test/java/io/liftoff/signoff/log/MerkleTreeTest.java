package io.liftoff.signoff.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Proofs against vectors computed by hand (with Python's hashlib, independently of this code) for a 5-leaf tree, and
 * against the RFC 9162 verification algorithms for every tree size 1..64, every index and every pair of sizes.
 */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    // leaf i = "L<i>"; computed as sha256(b'\x00' + leaf) and sha256(b'\x01' + left + right).
    private static final String LEAF0 = "12403899e10d73557e1d37c2d1c3dc1686a9512034479aa25d06f1d80fc46069";
    private static final String LEAF2 = "b20a512a48e53d216db8726dc737efe6a7e13ba4b681f9b26dcd08d1910259e3";
    private static final String LEAF3 = "5c610e9fef6cc0012ba3802aabf1a7c07564a103cc0caec27093f2089f25a890";
    private static final String LEAF4 = "359aff21e82cbc0384827a426a09d1f4521d9cdd1b5d89dcf11d42d54110e933";
    private static final String H01 = "926054f28bc88651ef446709206587f183c49ae5b0f1393caaeb104e54fcc50f";
    private static final String ROOT3 = "49b3ac37087cacbed8e89716b70f93b0440b87e22a573e8fefe5a4d15e827862";
    private static final String ROOT5 = "0f3371a238bdf07106b23d9bf71b21e0d71bb0595c46c90ca919093ae22da7ef";

    @Test
    void leafAndNodeHashesFollowRfc9162DomainSeparation() {
        assertThat(hex(MerkleTree.leafHash(bytes("L0")))).isEqualTo(LEAF0);
        assertThat(hex(MerkleTree.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void handComputedFiveLeafTreeGivesTheExpectedRootAndProofs() {
        MerkleTree.NodeSource tree = source(5);
        assertThat(hex(MerkleTree.rootHash(5, tree))).isEqualTo(ROOT5);
        assertThat(hex(MerkleTree.rootHash(3, tree))).isEqualTo(ROOT3);
        assertThat(MerkleTree.inclusionProof(2, 5, tree).stream().map(MerkleTreeTest::hex).toList())
                .containsExactly(LEAF3, H01, LEAF4);
        assertThat(MerkleTree.inclusionProof(4, 5, tree).stream().map(MerkleTreeTest::hex).toList()).hasSize(1);
        assertThat(MerkleTree.consistencyProof(3, 5, tree).stream().map(MerkleTreeTest::hex).toList())
                .containsExactly(LEAF2, LEAF3, H01, LEAF4);
        assertThat(MerkleTree.verifyInclusion(2, 5, HEX.parseHex(LEAF2),
                List.of(HEX.parseHex(LEAF3), HEX.parseHex(H01), HEX.parseHex(LEAF4)), HEX.parseHex(ROOT5))).isTrue();
        assertThat(MerkleTree.verifyConsistency(3, 5, HEX.parseHex(ROOT3), HEX.parseHex(ROOT5),
                List.of(HEX.parseHex(LEAF2), HEX.parseHex(LEAF3), HEX.parseHex(H01), HEX.parseHex(LEAF4)))).isTrue();
    }

    @Test
    void everyInclusionProofOfTreesUpTo64VerifiesAndTamperedOnesDoNot() {
        for (int n = 1; n <= 64; n++) {
            MerkleTree.NodeSource tree = source(n);
            byte[] root = MerkleTree.rootHash(n, tree);
            assertThat(root).isEqualTo(referenceRoot(0, n));
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = MerkleTree.inclusionProof(m, n, tree);
                byte[] leaf = MerkleTree.leafHash(bytes("L" + m));
                assertThat(MerkleTree.verifyInclusion(m, n, leaf, proof, root)).as("n=%d m=%d", n, m).isTrue();
                assertThat(MerkleTree.requiredForInclusion(m, n).size()).isLessThanOrEqualTo(2 * 7 + 1);
                assertThat(MerkleTree.verifyInclusion(m, n, MerkleTree.leafHash(bytes("X")), proof, root)).isFalse();
                if (n > 1) {
                    assertThat(MerkleTree.verifyInclusion((m + 1) % n, n, leaf, proof, root)
                            && (m + 1) % n != m).as("wrong index n=%d m=%d", n, m).isFalse();
                    List<byte[]> tampered = new ArrayList<>(proof);
                    byte[] first = tampered.get(0).clone();
                    first[0] ^= 1;
                    tampered.set(0, first);
                    assertThat(MerkleTree.verifyInclusion(m, n, leaf, tampered, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofOfTreesUpTo64VerifiesAndTamperedOnesDoNot() {
        for (int second = 1; second <= 64; second++) {
            MerkleTree.NodeSource tree = source(second);
            byte[] secondRoot = MerkleTree.rootHash(second, tree);
            for (int first = 1; first <= second; first++) {
                byte[] firstRoot = referenceRoot(0, first);
                List<byte[]> proof = MerkleTree.consistencyProof(first, second, tree);
                assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, proof))
                        .as("%d -> %d", first, second).isTrue();
                if (first < second) {
                    assertThat(MerkleTree.verifyConsistency(first, second, MerkleTree.leafHash(bytes("X")),
                            secondRoot, proof)).isFalse();
                    List<byte[]> tampered = new ArrayList<>(proof);
                    byte[] last = tampered.get(tampered.size() - 1).clone();
                    last[31] ^= 1;
                    tampered.set(tampered.size() - 1, last);
                    assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, tampered)).isFalse();
                }
            }
        }
    }

    @Test
    void proofsReadALogarithmicNumberOfStoredSubtrees() {
        long n = 1_000_000;
        assertThat(MerkleTree.requiredForInclusion(123_456, n).size()).isLessThanOrEqualTo(2 * 20 + 2);
        assertThat(MerkleTree.requiredForConsistency(777_777, n).size()).isLessThanOrEqualTo(3 * 20 + 3);
    }

    @Test
    void completedSubtreesAreNamedWhenTheirLastLeafArrives() {
        assertThat(MerkleTree.completedBy(0)).isEmpty();
        assertThat(MerkleTree.completedBy(1)).containsExactly(new MerkleTree.NodeId(1, 0));
        assertThat(MerkleTree.completedBy(7)).containsExactly(new MerkleTree.NodeId(1, 3), new MerkleTree.NodeId(2, 1),
                new MerkleTree.NodeId(3, 0));
    }

    /** A source over leaves "L0".."L(n-1)" whose subtree hashes are computed the naive recursive way. */
    private static MerkleTree.NodeSource source(int n) {
        return (level, index) -> {
            long start = index << level;
            long end = start + (1L << level);
            assertThat(end).isLessThanOrEqualTo(n);
            return referenceRoot(start, end);
        };
    }

    /** MTH straight from RFC 9162 section 2.1.1, recursing down to the leaves. */
    private static byte[] referenceRoot(long start, long end) {
        if (end - start == 1) {
            return MerkleTree.leafHash(bytes("L" + start));
        }
        long k = 1;
        while (k * 2 < end - start) {
            k *= 2;
        }
        return MerkleTree.nodeHash(referenceRoot(start, start + k), referenceRoot(start + k, end));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
