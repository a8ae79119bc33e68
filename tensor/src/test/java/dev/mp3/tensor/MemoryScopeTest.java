package dev.mp3.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of {@link MemoryScope} that hold on every backend: scopes nest per thread and close
 * innermost first, on their own thread; small CPU tensors never join one and stay usable after it
 * closes. The recycling of large CPU outputs is tested in {@code ArrayPoolTest}, the release of
 * device memory with the OpenCL backend ({@code ClMemoryScopeTest}).
 */
class MemoryScopeTest {

    @Test
    void smallCpuTensorsIgnoreScopesAndStayUsable() {
        Tensor t;
        try (MemoryScope scope = MemoryScope.open()) {
            t = Tensor.of(new float[] {1, 2, 3}, 3).mul(2f);
            assertThat(scope.size()).as("small heap storages do not join a scope").isZero();
        }
        assertThat(t.toFloatArray()).containsExactly(2f, 4f, 6f);
        assertThat(MemoryScope.keep(t)).isSameAs(t);
    }

    @Test
    void scopesNestAndCloseInnermostFirst() {
        assertThat(MemoryScope.current()).isNull();
        try (MemoryScope outer = MemoryScope.open()) {
            assertThat(MemoryScope.current()).isSameAs(outer);
            MemoryScope inner = MemoryScope.open();
            assertThat(MemoryScope.current()).isSameAs(inner);
            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("close the inner scope first");
            inner.close();
            inner.close();  // a second close does nothing
            assertThat(MemoryScope.current()).isSameAs(outer);
        }
        assertThat(MemoryScope.current()).isNull();
    }

    @Test
    void aScopeIsClosedOnTheThreadThatOpenedIt() throws InterruptedException {
        MemoryScope scope = MemoryScope.open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            assertThat(MemoryScope.current()).as("scopes are per thread").isNull();
            try {
                scope.close();
            } catch (IllegalStateException e) {
                failure.set(e);
            }
        });
        other.start();
        other.join();
        assertThat(failure.get()).hasMessageContaining("belongs to the thread that opened it");
        scope.close();
        assertThat(MemoryScope.current()).isNull();
    }
}
