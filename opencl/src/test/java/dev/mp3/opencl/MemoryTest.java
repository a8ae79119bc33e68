package dev.mp3.opencl;

import dev.mp3.tensor.DType;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Device buffers of unreachable tensors come back to the pool and serve later allocations. */
class MemoryTest {

    @Test
    void buffersOfUnreachableTensorsAreRecycled() throws InterruptedException {
        ClBackend cl = ClTestSupport.backend();
        BufferPool pool = cl.context().pool;
        long before = pool.live();
        for (int i = 0; i < 20; i++) {
            Tensor t = Tensor.zeros(cl.device(), DType.F32, 1 << 18);
            assertThat(t.numel()).isEqualTo(1 << 18);
        }
        assertThat(pool.live()).isGreaterThanOrEqualTo(before);
        for (int i = 0; i < 100 && pool.live() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(pool.live()).as("live bytes once the tensors are unreachable").isLessThanOrEqualTo(before);
        long created = pool.created();
        Tensor again = Tensor.zeros(cl.device(), DType.F32, 1 << 18);
        assertThat(pool.created()).as("the allocation reused a returned buffer").isEqualTo(created);
        assertThat(again.toFloatArray()).as("a recycled buffer is zeroed").containsOnly(0f);
    }
}
