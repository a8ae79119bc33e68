package dev.mp3.opencl;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Explicit device memory: storages made inside a {@link MemoryScope} give their buffers back to the
 * pool when it closes (no garbage collection involved), kept tensors survive, a released tensor
 * refuses use with a message naming it, and an allocation the budget cannot hold fails naming the
 * requested, live and free bytes. Other tests share the backend, and buffers they leave unreachable
 * may come back at any moment, so assertions are on drops of at least what a scope held.
 */
class ClMemoryScopeTest {

    @Test
    void closingAScopeReleasesItsBuffersAtOnce() {
        ClBackend cl = ClTestSupport.backend();
        BufferPool pool = cl.context().pool;
        long bytes;
        long live;
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = Tensor.zeros(cl.device(), DType.F32, 1 << 16);
            Tensor b = a.add(1f).exp();
            bytes = 2L * 4 * (1 << 16);
            assertThat(b.sum().item()).isCloseTo((float) (Math.E * (1 << 16)), org.assertj.core.data.Percentage
                    .withPercentage(1e-2));
            assertThat(scope.size()).isGreaterThanOrEqualTo(3);
            live = pool.live();
        }
        assertThat(live - pool.live()).as("live bytes drop by the scope's buffers at close").isGreaterThanOrEqualTo(bytes);
    }

    @Test
    void aHundredStepsInScopesKeepLiveBytesFlatWithoutACollection() {
        ClBackend cl = ClTestSupport.backend();
        BufferPool pool = cl.context().pool;
        Rng rng = new Rng(5);
        Var w = Var.param(rng.normal(0f, 0.1f, 64, 32).to(cl.device()));
        Tensor x = rng.normal(0f, 1f, 16, 64);
        long collections = pool.collections();
        long afterFirst = -1;
        long peakFirst = -1;
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 100; step++) {
            if (step == 0) {
                pool.resetPeak();
            }
            try (MemoryScope scope = MemoryScope.open()) {
                Var loss = Var.constant(x.to(cl.device())).matmul(w).relu().square().mean();
                loss.backward();
                w.value().axpyInPlace(-0.05f, w.grad());
                w.zeroGrad();
                last = loss.value().item();
                if (step == 0) {
                    first = last;
                }
            }
            if (step == 0) {
                afterFirst = pool.live();
                peakFirst = pool.peakLive();
                pool.resetPeak();
            } else {
                assertThat(pool.live()).as("live bytes after step %d", step).isLessThanOrEqualTo(afterFirst);
            }
        }
        assertThat(pool.peakLive()).as("no step needs more than the first").isLessThanOrEqualTo(peakFirst);
        assertThat(pool.collections()).as("System.gc() stalls").isEqualTo(collections);
        assertThat(last).as("the loop trained").isLessThan(first);
    }

    @Test
    void keptTensorsSurviveTheScopeAndReadCorrectly() {
        ClBackend cl = ClTestSupport.backend();
        Tensor kept;
        Tensor view;
        try (MemoryScope scope = MemoryScope.open()) {
            kept = MemoryScope.keep(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(cl.device()).mul(10f));
            view = kept.transpose(0, 1);
            assertThat(scope.size()).as("only the upload is left to release; the kept product left the scope")
                    .isEqualTo(1);
        }
        // Buffers of the closed scope are reused by new tensors; the kept one is not among them.
        List<Tensor> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(Tensor.zeros(cl.device(), DType.F32, 2, 3).add(-1f));
        }
        assertThat(kept.toFloatArray()).containsExactly(10f, 20f, 30f, 40f, 50f, 60f);
        assertThat(view.contiguous().toFloatArray()).containsExactly(10f, 40f, 20f, 50f, 30f, 60f);
        assertThat(others.getFirst().toFloatArray()).containsOnly(-1f);
    }

    @Test
    void aReleasedTensorFailsLoudlyNamingItsShape() {
        ClBackend cl = ClTestSupport.backend();
        Tensor t;
        try (MemoryScope scope = MemoryScope.open()) {
            t = Tensor.zeros(cl.device(), DType.F32, 2, 3).add(1f);
        }
        Tensor released = t;
        assertThatThrownBy(released::toFloatArray).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor [2, 3] F32")
                .hasMessageContaining("released when its memory scope closed");
        assertThatThrownBy(() -> released.add(1f)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released when its memory scope closed");
        assertThatThrownBy(() -> released.reshape(6).sum()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor [6] F32");
    }

    @Test
    void nestedScopesReleaseTheirOwnStorages() {
        ClBackend cl = ClTestSupport.backend();
        Tensor outerTensor;
        Tensor innerTensor;
        try (MemoryScope outer = MemoryScope.open()) {
            outerTensor = Tensor.zeros(cl.device(), DType.F32, 4).add(2f);
            try (MemoryScope inner = MemoryScope.open()) {
                innerTensor = outerTensor.mul(3f);
                assertThat(inner.size()).isEqualTo(1);
            }
            assertThat(((ClStorage) innerTensor.storage()).released()).isTrue();
            assertThat(((ClStorage) outerTensor.storage()).released()).isFalse();
            assertThat(outerTensor.toFloatArray()).containsOnly(2f);
        }
        assertThat(((ClStorage) outerTensor.storage()).released()).isTrue();
    }

    @Test
    void aReleasedBufferReturnsToThePoolOnceEvenWhenItsCleanerRunsLater() throws InterruptedException {
        ClBackend cl = ClTestSupport.backend();
        BufferPool pool = cl.context().pool;
        int size = 12_347;  // a size no other test uses, so its free list is this test's alone
        long bytes = 4L * size;
        int freeBefore = pool.freeBuffers(bytes);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor.zeros(cl.device(), DType.F32, size);
        }
        assertThat(pool.freeBuffers(bytes)).isEqualTo(freeBefore + 1);
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(pool.freeBuffers(bytes)).as("the cleaner did not give the buffer back a second time")
                .isEqualTo(freeBefore + 1);
    }

    @Test
    void scratchBuffersOfKernelsGoBackAsSoonAsTheirCommandsAreQueued() {
        ClBackend cl = ClTestSupport.backend();
        BufferPool pool = cl.context().pool;
        Tensor x = new Rng(6).normal(0f, 1f, 8, 100_000).to(cl.device());
        try (MemoryScope scope = MemoryScope.open()) {
            long live = pool.live();
            Tensor s = x.sum(1, false);  // a multi-pass reduction with intermediate buffers
            assertThat(pool.live() - live).as("only the result stays live").isLessThanOrEqualTo(4L * 8);
            assertThat(s.numel()).isEqualTo(8);
        }
    }

    @Test
    void anAllocationBeyondTheBudgetNamesTheRequestedLiveAndFreeBytes() {
        ClBackend cl = ClTestSupport.backend();
        ClContext ctx = cl.context();
        BufferPool small = new BufferPool(ctx.context, ctx.info, 1 << 20);
        ClBuffer first = small.allocate(DType.F32, 150_000);
        assertThatThrownBy(() -> small.allocate(DType.F32, 150_000)).isInstanceOf(ClException.class)
                .hasMessageStartingWith("out of device memory on " + ctx.info.name() + ": requested 586 KiB (600000 bytes)")
                .hasMessageContaining("with 586 KiB (600000 bytes) live and 0 KiB free in the pool")
                .hasMessageContaining("global memory (budget 1.0 MiB)")
                .hasMessageContaining("smaller batch");
        first.release();
        ClBuffer again = small.allocate(DType.F32, 150_000);
        assertThat(small.live()).isEqualTo(600_000);
        again.release();
        small.releaseFree();
    }
}
