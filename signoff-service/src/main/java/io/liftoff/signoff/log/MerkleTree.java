package io.liftoff.signoff.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 9162 Merkle tree hashing, proofs and their verification. Proofs are computed over a {@link NodeSource} that
 * hands out the hashes of complete, aligned subtrees (level {@code l}, index {@code i} covers leaves
 * {@code [i·2^l, (i+1)·2^l)}; level 0 are the leaf hashes), so a proof needs O(log n) of them: the tree never has to
 * be walked. {@link #requiredNodes} names them up front so a store can fetch them in one round trip.
 */
public final class MerkleTree {

    public static final int HASH_SIZE = 32;

    private MerkleTree() {
    }

    /** The hash of a complete aligned subtree: level 0 = leaf hashes. */
    @FunctionalInterface
    public interface NodeSource {
        byte[] node(int level, long index);
    }

    public record NodeId(int level, long index) {
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(leaf);
        return sha.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** MTH(D[start:end]) where {@code start} is aligned as every range of the RFC's recursion is. */
    public static byte[] rangeHash(long start, long end, NodeSource nodes) {
        long size = end - start;
        if (size <= 0) {
            throw new IllegalArgumentException("empty range");
        }
        if (Long.bitCount(size) == 1 && start % size == 0) {
            return nodes.node(Long.numberOfTrailingZeros(size), start / size);
        }
        long k = largestPowerOfTwoBelow(size);
        return nodeHash(rangeHash(start, start + k, nodes), rangeHash(start + k, end, nodes));
    }

    public static byte[] rootHash(long treeSize, NodeSource nodes) {
        return treeSize == 0 ? emptyRoot() : rangeHash(0, treeSize, nodes);
    }

    /** PATH(m, D[0:n]) of RFC 9162 section 2.1.3.1. */
    public static List<byte[]> inclusionProof(long index, long treeSize, NodeSource nodes) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("index " + index + " outside tree of size " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, nodes, proof);
        return proof;
    }

    private static void path(long m, long start, long end, NodeSource nodes, List<byte[]> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, start + k, nodes, out);
            out.add(rangeHash(start + k, end, nodes));
        }
        else {
            path(m - k, start + k, end, nodes, out);
            out.add(rangeHash(start, start + k, nodes));
        }
    }

    /** PROOF(m, D[0:n]) of RFC 9162 section 2.1.4.1. */
    public static List<byte[]> consistencyProof(long first, long second, NodeSource nodes) {
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("need 1 <= first <= second");
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(first, 0, second, true, nodes, proof);
        return proof;
    }

    private static void subproof(long m, long start, long end, boolean b, NodeSource nodes, List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(rangeHash(start, end, nodes));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, start + k, b, nodes, out);
            out.add(rangeHash(start + k, end, nodes));
        }
        else {
            subproof(m - k, start + k, end, false, nodes, out);
            out.add(rangeHash(start, start + k, nodes));
        }
    }

    /** The complete subtrees an inclusion proof (and the root of {@code treeSize}) reads. */
    public static Set<NodeId> requiredForInclusion(long index, long treeSize) {
        return requiredNodes(nodes -> {
            inclusionProof(index, treeSize, nodes);
            rootHash(treeSize, nodes);
        });
    }

    public static Set<NodeId> requiredForConsistency(long first, long second) {
        return requiredNodes(nodes -> {
            consistencyProof(first, second, nodes);
            rootHash(first, nodes);
            rootHash(second, nodes);
        });
    }

    public static Set<NodeId> requiredForRoot(long treeSize) {
        return requiredNodes(nodes -> rootHash(treeSize, nodes));
    }

    private static Set<NodeId> requiredNodes(java.util.function.Consumer<NodeSource> computation) {
        Set<NodeId> ids = new LinkedHashSet<>();
        byte[] placeholder = new byte[HASH_SIZE];
        computation.accept((level, index) -> {
            ids.add(new NodeId(level, index));
            return placeholder;
        });
        return ids;
    }

    /** RFC 9162 section 2.1.3.2. */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] rootHash) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, rootHash);
    }

    /** RFC 9162 section 2.1.4.2; equal sizes verify with an empty proof and equal roots. */
    public static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
            List<byte[]> proof) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash) && sn == 0;
    }

    /** The complete subtrees that become available when leaf {@code index} is added: (level, index) from level 1 up. */
    public static List<NodeId> completedBy(long index) {
        List<NodeId> completed = new ArrayList<>();
        long position = index;
        int level = 0;
        while ((position & 1) == 1) {
            position >>= 1;
            level++;
            completed.add(new NodeId(level, position));
        }
        return completed;
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
