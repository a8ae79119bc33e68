package dev.mp3.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** StepBench's account of the collector's pauses inside the timed steps. */
class StepBenchGcPauseTest {

    @Test
    void pausesCountedConcurrentCyclesNot() {
        // The bean names of JDK 25's collectors (ManagementFactory.getGarbageCollectorMXBeans()).
        for (String pauses : new String[] {"G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation",
                "ZGC Minor Pauses", "ZGC Major Pauses", "Shenandoah Pauses", "PS Scavenge", "PS MarkSweep", "Copy",
                "MarkSweepCompact"}) {
            assertThat(StepBench.countsPauses(pauses)).as(pauses).isTrue();
        }
        for (String cycles : new String[] {"ZGC Minor Cycles", "ZGC Major Cycles", "Shenandoah Cycles"}) {
            assertThat(StepBench.countsPauses(cycles)).as(cycles).isFalse();
        }
    }

    @Test
    void noteWhenPausesExceedATwentiethOfAMode() {
        Map<String, double[]> steps = new LinkedHashMap<>();
        steps.put("supervised", new double[] {1.0, 1.0, 1.0, 1.0});
        steps.put("mp3-eta0.75", new double[] {1.0, 1.0, 1.0, 1.0});
        Map<String, Double> small = new LinkedHashMap<>();
        small.put("supervised", 0.19);   // 4.75 % of 4 s
        small.put("mp3-eta0.75", 0.0);
        assertThat(StepBench.gcPauseLine(small, steps)).isEqualTo("supervised 0.19 s, mp3-eta0.75 0.00 s");
        Map<String, Double> large = new LinkedHashMap<>(small);
        large.put("mp3-eta0.75", 0.21);  // 5.25 % of 4 s
        assertThat(StepBench.gcPauseLine(large, steps))
                .startsWith("supervised 0.19 s, mp3-eta0.75 0.21 s -- more than 5 % of a mode's time");
    }
}
