package dev.mjpegrtp.testing.hostile;

import java.util.List;

/** A hostile peer at work: started, left to run, then closed; bounded in time and in what it opens and sends. */
public interface Attack extends AutoCloseable {

    void start() throws Exception;

    /** What the attack sent and what the server answered, for the test's report. */
    String summary();

    /** What the server let the attacker do that it must not (a replay accepted...); empty when it resisted. */
    List<String> breaches();

    /** Stops the attack and closes its sockets. */
    @Override
    void close() throws Exception;

    /** Several attacks at once, as one. */
    static Attack together(Attack... attacks) {
        return new Attack() {
            @Override
            public void start() throws Exception {
                for (Attack attack : attacks) {
                    attack.start();
                }
            }

            @Override
            public String summary() {
                return String.join("; ", java.util.Arrays.stream(attacks).map(Attack::summary).toList());
            }

            @Override
            public List<String> breaches() {
                return java.util.Arrays.stream(attacks).flatMap(attack -> attack.breaches().stream()).toList();
            }

            @Override
            public void close() throws Exception {
                Exception first = null;
                for (Attack attack : attacks) {
                    try {
                        attack.close();
                    } catch (Exception e) {
                        first = first == null ? e : first;
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
