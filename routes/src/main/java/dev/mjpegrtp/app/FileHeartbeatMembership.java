package dev.mjpegrtp.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Membership on the shared-directory cluster service, whose views report no members ({@code getMembers()} is an empty
 * list in Camel 4.22.0). It reuses that service's own liveness rule: as its leader rewrites a heartbeat into
 * {@code <namespace>.dat} and is stale once the heartbeat has not moved for {@code acquireLockInterval ×
 * heartbeatTimeoutMultiplier}, each instance rewrites a counter in {@code <root>/.members/<id>} on every call, and an
 * instance is a member while its counter moves, timed on the reader's own monotonic clock (no clock comparison across
 * hosts). A clean stop deletes the file. Only the balancing reads this; the exclusion per camera stays with the
 * service's file locks.
 */
final class FileHeartbeatMembership implements ClusterMembership {

    private final Path directory;
    private final String self;
    private final long staleNanos;
    private final Map<String, Seen> seen = new HashMap<>();
    private long beat;

    FileHeartbeatMembership(Path root, String self, long staleAfter, TimeUnit unit) {
        this.directory = root.resolve(".members");
        this.self = self;
        this.staleNanos = unit.toNanos(staleAfter);
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public synchronized Set<String> members() throws IOException {
        Files.writeString(directory.resolve(self), Long.toString(++beat), StandardCharsets.US_ASCII);
        long now = System.nanoTime();
        Set<String> members = new TreeSet<>();
        members.add(self);
        Set<String> present = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String id = file.getFileName().toString();
                present.add(id);
                if (id.equals(self)) {
                    continue;
                }
                String counter;
                try {
                    counter = Files.readString(file, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue; // deleted between listing and reading: a clean leave
                }
                Seen last = seen.get(id);
                if (last == null || !last.counter().equals(counter)) {
                    last = new Seen(counter, now);
                    seen.put(id, last);
                }
                if (now - last.changed() < staleNanos) {
                    members.add(id);
                }
            }
        }
        seen.keySet().retainAll(present);
        return members;
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public void stop() throws IOException {
        Files.deleteIfExists(directory.resolve(self));
    }

    private record Seen(String counter, long changed) {
    }
}
