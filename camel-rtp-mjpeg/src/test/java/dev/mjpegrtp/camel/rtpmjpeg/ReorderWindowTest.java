package dev.mjpegrtp.camel.rtpmjpeg;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReorderWindowTest {

    private final List<Integer> delivered = new ArrayList<>();
    private final List<Integer> discarded = new ArrayList<>();
    private final ReorderWindow<Integer> window = new ReorderWindow<>(4, delivered::add, discarded::add);

    private void offer(int... sequenceNumbers) {
        for (int s : sequenceNumbers) {
            window.offer(s, s);
        }
    }

    @Test
    void inOrderPassesStraightThrough() {
        offer(10, 11, 12);
        assertThat(delivered).containsExactly(10, 11, 12);
    }

    @Test
    void swappedPacketsAreReordered() {
        offer(10, 12, 11, 13);
        assertThat(delivered).containsExactly(10, 11, 12, 13);
    }

    @Test
    void aMissingPacketIsGivenUpOnceAWholeWindowLaterArrived() {
        offer(10, 12, 13, 14);
        assertThat(delivered).containsExactly(10);
        offer(15); // 15 - 11 = 4: a window past the gap
        assertThat(delivered).containsExactly(10, 12, 13, 14, 15);
    }

    @Test
    void lateAndDuplicatePacketsAreDiscarded() {
        offer(10, 11, 10, 13, 13);
        assertThat(delivered).containsExactly(10, 11);
        assertThat(discarded).containsExactly(10, 13);
        assertThat(window.late()).isEqualTo(1);
        assertThat(window.duplicates()).isEqualTo(1);
    }

    @Test
    void sequenceNumbersWrap() {
        offer(65534, 0, 65535, 1);
        assertThat(delivered).containsExactly(65534, 65535, 0, 1);
    }

    @Test
    void twoConsecutivePacketsFarAwayAreARestartedSender() {
        offer(10, 12, 5000, 5001, 5002);
        assertThat(delivered).containsExactly(10, 12, 5001, 5002);
        assertThat(window.strays()).isEqualTo(1);
    }

    @Test
    void aLoneStrayPacketDoesNotDerailTheStream() {
        offer(10, 40000, 11, 13, 12);
        assertThat(delivered).containsExactly(10, 11, 12, 13);
        assertThat(window.strays()).isEqualTo(1);
    }

    @Test
    void aGapWithinTheDropoutLimitIsLoss() {
        offer(10, 500, 501);
        assertThat(delivered).containsExactly(10, 500, 501);
    }

    @Test
    void clearDiscardsWhatWaits() {
        offer(10, 12, 13);
        window.clear();
        assertThat(discarded).containsExactlyInAnyOrder(12, 13);
    }
}
