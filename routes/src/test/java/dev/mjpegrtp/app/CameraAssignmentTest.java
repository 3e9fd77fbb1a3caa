package dev.mjpegrtp.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner of each camera: shares within one of each other, the same answer everywhere, few cameras moved. */
class CameraAssignmentTest {

    private static final List<String> CAMERAS = IntStream.rangeClosed(1, 100).mapToObj(i -> "camera-" + i).toList();

    @Test
    void everyShareWithinOneOfTheOthers() {
        for (int cameras = 0; cameras <= 40; cameras++) {
            for (int members = 1; members <= 9; members++) {
                Map<String, String> owners = CameraAssignment.owners(CAMERAS.subList(0, cameras), members(members));
                assertThat(owners).hasSize(cameras);
                Map<String, Integer> shares = shares(owners, members(members));
                int min = shares.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
                int max = shares.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
                assertThat(max - min).as("%d cameras over %d members: %s", cameras, members, shares).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void theSameAnswerWhateverTheOrderOfTheNames() {
        List<String> cameras = new ArrayList<>(CAMERAS.subList(0, 12));
        List<String> members = new ArrayList<>(members(3));
        Map<String, String> owners = CameraAssignment.owners(cameras, members);
        java.util.Collections.reverse(cameras);
        java.util.Collections.reverse(members);
        assertThat(CameraAssignment.owners(cameras, members)).isEqualTo(owners);
    }

    @Test
    void aJoiningMemberTakesItsShareFromTheOthersOnly() {
        List<String> cameras = CAMERAS.subList(0, 12);
        Map<String, String> three = CameraAssignment.owners(cameras, members(3));
        Map<String, String> four = CameraAssignment.owners(cameras, members(4));
        long moved = cameras.stream().filter(c -> !three.get(c).equals(four.get(c))).count();
        long toNewcomer = cameras.stream().filter(c -> four.get(c).equals("instance-4")).count();
        assertThat(toNewcomer).isEqualTo(3);
        assertThat(moved).as("cameras that changed owner when a fourth member joined 3 x 4").isLessThanOrEqualTo(5);
    }

    @Test
    void aLeavingMembersCamerasGoToTheRestWithFewMovesBetweenThem() {
        List<String> cameras = CAMERAS.subList(0, 12);
        Map<String, String> three = CameraAssignment.owners(cameras, members(3));
        Map<String, String> two = CameraAssignment.owners(cameras, List.of("instance-1", "instance-3"));
        long orphans = cameras.stream().filter(c -> three.get(c).equals("instance-2")).count();
        long movedBetweenSurvivors = cameras.stream()
                .filter(c -> !three.get(c).equals("instance-2") && !three.get(c).equals(two.get(c))).count();
        assertThat(shares(two, List.of("instance-1", "instance-3")).values()).containsOnly(6);
        assertThat(movedBetweenSurvivors).as("cameras moved from one survivor to the other").isLessThanOrEqualTo(orphans / 2);
    }

    @Test
    void noMembersNoOwners() {
        assertThat(CameraAssignment.owners(CAMERAS.subList(0, 3), List.of())).isEmpty();
    }

    private static List<String> members(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "instance-" + i).toList();
    }

    private static Map<String, Integer> shares(Map<String, String> owners, Collection<String> members) {
        Map<String, Integer> shares = new HashMap<>();
        members.forEach(m -> shares.put(m, 0));
        owners.values().forEach(m -> shares.merge(m, 1, Integer::sum));
        return shares;
    }
}
