package dev.mjpegrtp.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which member should own which camera: rendezvous hashing with a capacity. Every (camera, member) pair gets a score
 * from a hash of both names; pairs are taken best score first and a camera goes to the first member of its pairs
 * that still has room. Each member's room is its fair share, {@code cameras / members} rounded down, one more for the
 * first {@code cameras % members} members in order of their own hash, so shares differ by at most one. A member that
 * joins takes only cameras that score best on it; a member that leaves frees only its own cameras, and those spread
 * over the others by their scores. Every instance computes the same answer from the same names: no messages.
 */
final class CameraAssignment {

    private CameraAssignment() {
    }

    /** Owner of each camera; empty when there are no members. */
    static Map<String, String> owners(Collection<String> cameras, Collection<String> members) {
        Map<String, String> owners = new TreeMap<>();
        if (members.isEmpty()) {
            return owners;
        }
        List<String> byHash = new ArrayList<>(members);
        byHash.sort(Comparator.comparingLong(CameraAssignment::hash).thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> room = new HashMap<>();
        int share = cameras.size() / byHash.size();
        int extra = cameras.size() % byHash.size();
        for (int i = 0; i < byHash.size(); i++) {
            room.put(byHash.get(i), share + (i < extra ? 1 : 0));
        }
        List<Pair> pairs = new ArrayList<>();
        for (String camera : cameras) {
            for (String member : byHash) {
                pairs.add(new Pair(camera, member, hash(camera + '\u0000' + member)));
            }
        }
        pairs.sort(Comparator.comparingLong(Pair::score).reversed()
                .thenComparing(Pair::camera).thenComparing(Pair::member));
        for (Pair pair : pairs) {
            if (!owners.containsKey(pair.camera()) && room.get(pair.member()) > 0) {
                owners.put(pair.camera(), pair.member());
                room.merge(pair.member(), -1, Integer::sum);
            }
        }
        return owners;
    }

    /** 64-bit FNV-1a with a final avalanche (SplitMix64's): stable across JVMs, unlike String.hashCode spreads. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private record Pair(String camera, String member, long score) {
    }
}
