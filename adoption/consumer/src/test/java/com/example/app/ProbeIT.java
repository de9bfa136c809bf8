package com.example.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** ausb under failsafe, with the README's argLine; the JVM denies native access to anyone else. */
class ProbeIT {
    @Test
    void nativeAccessIsGrantedByTheArgLine() {
        // the check's harness sets JDK_JAVA_OPTIONS=--illegal-native-access=deny: without it a
        // missing flag would only warn, and this test could not fail
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--illegal-native-access=deny"),
                "this JVM does not deny native access: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        String line = Main.probe();
        System.out.println("failsafe: " + line);
        assertTrue(line.startsWith("ausb-probe: native access granted"), line);
    }
}
