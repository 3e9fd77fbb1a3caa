package dev.mjpegrtp.camel.gstreamer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pull thread waits between runs until the pipeline plays again or the run ends, and misses no restart. */
class PullGateTest {

    @Test
    void aRestartBeforeTheWaitIsNotMissed() {
        PullGate gate = new PullGate();
        int pulledIn = gate.generation();
        gate.open(); // the restart came while the pull was still returning
        assertThat(CompletableFuture.runAsync(() -> gate.await(pulledIn))).succeedsWithin(Duration.ofSeconds(1));
    }

    @Test
    void waitsUntilThePipelinePlaysAgain() throws Exception {
        PullGate gate = new PullGate();
        int pulledIn = gate.generation();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> gate.await(pulledIn));
        Thread.sleep(200);
        assertThat(waiting).as("no restart yet").isNotDone();
        gate.open();
        waiting.get(1, TimeUnit.SECONDS);
        assertThat(gate.generation()).isEqualTo(pulledIn + 1);
    }

    @Test
    void theEndOfTheRunReleasesTheWaitForGood() {
        PullGate gate = new PullGate();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> gate.await(gate.generation()));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !waiting.isDone());
        gate.close();
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(1));
        assertThat(CompletableFuture.runAsync(() -> gate.await(gate.generation()))).as("closed stays closed")
                .succeedsWithin(Duration.ofSeconds(1));
    }
}
