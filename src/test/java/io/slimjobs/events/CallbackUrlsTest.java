package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The allowed callback hosts setting: a pattern with a port or a path stops startup, naming the setting. */
class CallbackUrlsTest {

    @Test
    void should_refuse_an_allowed_host_pattern_with_a_port_or_a_path() {
        for (String pattern : List.of("hooks.example.test:8443", "*.example.test/hooks", "10.0.0.1:80")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CallbackUrls("ok.example.test," + pattern));

            assertTrue(e.getMessage().contains("slimjobs.callbacks.allowed-hosts") && e.getMessage().contains(pattern),
                    e::getMessage);
        }
    }
}
