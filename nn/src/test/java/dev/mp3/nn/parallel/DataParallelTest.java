package dev.mp3.nn.parallel;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Linear;
import dev.mp3.nn.Module;
import dev.mp3.nn.Parameter;
import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bucketing and overlap of {@link DataParallel} without MPI, over a recording group that
 * stands for N ranks with identical gradients (each sum multiplies by N, as N equal contributions
 * would): which parameters share a bucket, that each bucket's sum starts during backward right
 * when its last gradient is complete, and that the means written back are the gradients.
 */
class DataParallelTest {

    /** x -> first (4 -> 8) -> second (8 -> 3): weights of 128 and 96 bytes, biases of 32 and 12. */
    private static final class TwoLayers extends Module {
        final Linear first = child("first", new Linear(4, 8, true, new Rng(1)));
        final Linear second = child("second", new Linear(8, 3, true, new Rng(2)));

        Var forward(Var x) {
            return second.forward(first.forward(x).gelu());
        }
    }

    /** Every sum multiplies by {@code ranks}; records what it summed and when. */
    private static final class Recording implements Collective {
        final int ranks;
        final List<String> events = new ArrayList<>();

        Recording(int ranks) {
            this.ranks = ranks;
        }

        public int rank() { return 0; }
        public int size() { return ranks; }
        public int localRank() { return 0; }
        public int localSize() { return 1; }
        public void barrier() { }
        public void broadcast(MemorySegment bytes, int root) { }
        public long[] minMax(long value) { return new long[] {value, value}; }
        public void abort(int exitCode) { throw new AssertionError("abort"); }
        public void close() { }

        public void sumInPlace(MemorySegment floats) {
            events.add("sum " + floats.byteSize() / 4);
            scale(floats);
        }

        public Pending startSumInPlace(MemorySegment floats) {
            events.add("start " + floats.byteSize() / 4);
            return new Pending() {
                boolean done;

                public boolean test() {
                    return done;
                }

                public void await() {
                    if (!done) {
                        scale(floats);
                        done = true;
                    }
                }
            };
        }

        private void scale(MemorySegment floats) {
            for (long i = 0; i < floats.byteSize() / 4; i++) {
                floats.setAtIndex(JAVA_FLOAT, i, ranks * floats.getAtIndex(JAVA_FLOAT, i));
            }
        }
    }

    private static Var loss(TwoLayers net) {
        Var x = Var.constant(new Rng(3).normal(0f, 1f, 5, 4));
        return net.forward(x).mul(net.forward(x)).mean();
    }

    @Test
    void bucketsStartDuringBackwardAsTheirLastGradientCompletes() {
        TwoLayers net = new TwoLayers();
        Recording group = new Recording(3);
        // 100-byte buckets over the reversed parameters: [second.bias 12 + second.weight 96],
        // [first.bias 32 + first.weight 128].
        DataParallel dp = new DataParallel(group, net.namedParameters(), 100, true);
        assertThat(dp.stats().buckets()).isEqualTo(2);
        assertThat(dp.stats().bytesPerStep()).isEqualTo(4L * (32 + 8 + 24 + 3));

        List<String> order = new ArrayList<>();
        Map<String, Parameter> params = net.namedParameters();
        loss(net).backward(leaf -> {
            params.forEach((name, p) -> {
                if (p.var() == leaf) {
                    order.add(name);
                }
            });
            order.add("sums so far " + group.events.size());
            dp.ready(leaf);
        });
        // The second layer's bucket starts as soon as both its gradients are ready, before backward
        // reaches the first layer; the first layer's starts with its last gradient.
        int secondDone = Math.max(order.indexOf("second.weight"), order.indexOf("second.bias"));
        int firstStart = Math.min(order.indexOf("first.weight"), order.indexOf("first.bias"));
        assertThat(secondDone).isLessThan(firstStart);
        assertThat(order.get(firstStart + 1)).isEqualTo("sums so far 1");
        assertThat(group.events).containsExactly("start 27", "start 40");
    }

    @Test
    void theMeanOfIdenticalGradientsIsTheGradientItself() {
        TwoLayers net = new TwoLayers();
        TwoLayers reference = new TwoLayers();
        loss(reference).backward();
        for (boolean overlap : new boolean[] {true, false}) {
            Recording group = new Recording(4);
            DataParallel dp = new DataParallel(group, net.namedParameters(), 64, overlap);
            net.namedParameters().values().forEach(Parameter::zeroGrad);
            loss(net).backward(dp::ready);
            dp.apply(net.namedParameters());
            reference.namedParameters().forEach((name, p) -> {
                float[] expected = p.grad().toFloatArray();
                // x 4 / 4 in float is exact: the bits come back unchanged.
                assertThat(net.namedParameters().get(name).grad().toFloatArray()).as(name + " overlap " + overlap)
                        .containsExactly(expected);
            });
            if (!overlap) {
                assertThat(group.events).allMatch(e -> e.startsWith("start"));
            }
        }
    }

    @Test
    void aGroupOfOneLeavesGradientsAsTheyAre() {
        TwoLayers net = new TwoLayers();
        loss(net).backward();
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        net.namedParameters().forEach((n, p) -> before.put(n, p.grad().toFloatArray()));
        new DataParallel(Collective.single(), net.namedParameters(), 1 << 20, true).apply(net.namedParameters());
        net.namedParameters().forEach((n, p) -> assertThat(p.grad().toFloatArray()).containsExactly(before.get(n)));
        assertThat(Collective.single().sum(new float[] {1.5f, -2f})).containsExactly(1.5f, -2f);
    }

}
