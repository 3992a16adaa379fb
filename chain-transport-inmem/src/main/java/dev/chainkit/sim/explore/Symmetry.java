package dev.chainkit.sim.explore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The renamings of a model's symmetric node groups: every permutation within each group, combined across groups
 * (the identity first). A state's canonical description is the least over them, so states that differ only by such
 * a renaming are one (symmetry reduction, as in Ip and Dill's "Better Verification Through Symmetry"). Groups of
 * k nodes give k! renamings: meant for a handful of clients.
 *
 * <p>Thread safety: stateless.
 */
final class Symmetry {

    private Symmetry() {
    }

    /**
     * The renamings (old name to new name; names left out keep theirs).
     *
     * @param groups the symmetric groups
     * @param nodes every node's name
     * @throws IllegalArgumentException if a group names a node that does not exist, or groups overlap
     */
    static List<Map<String, String>> renamings(List<Set<String>> groups, List<String> nodes) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        List<String> used = new ArrayList<>();
        for (Set<String> group : groups) {
            List<String> members = new ArrayList<>(group);
            members.sort(null);
            for (String m : members) {
                if (!nodes.contains(m)) {
                    throw new IllegalArgumentException("symmetric group " + members + " names '" + m
                            + "', which is not a node; nodes are " + nodes);
                }
                if (used.contains(m)) {
                    throw new IllegalArgumentException("node '" + m + "' is in two symmetric groups");
                }
                used.add(m);
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (List<String> perm : permutations(members)) {
                for (Map<String, String> base : out) {
                    Map<String, String> r = new HashMap<>(base);
                    for (int i = 0; i < members.size(); i++) {
                        if (!members.get(i).equals(perm.get(i))) {
                            r.put(members.get(i), perm.get(i));
                        }
                    }
                    next.add(r);
                }
            }
            out = next;
        }
        return out;
    }

    private static List<List<String>> permutations(List<String> items) {
        List<List<String>> out = new ArrayList<>();
        if (items.isEmpty()) {
            out.add(new ArrayList<>());
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String head = rest.remove(i);
            for (List<String> p : permutations(rest)) {
                p.add(0, head);
                out.add(p);
            }
        }
        return out;
    }
}
