package dev.mp3.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A message passed as a Supplier is built only when its check fails, and is then the exception's message. */
class RequireTest {

    @Test
    void aPassingCheckNeverBuildsItsMessage() {
        AtomicInteger built = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            Require.that(i >= 0, () -> "index " + built.incrementAndGet() + " is negative");
        }
        assertThat(built).hasValue(0);
    }

    @Test
    void aFailingCheckThrowsTheSuppliedMessageOnce() {
        AtomicInteger built = new AtomicInteger();
        int[] shape = {2, 3};
        assertThatThrownBy(() -> Require.that(shape.length == 3,
                () -> "op: shape " + Shape.str(shape) + " must have rank 3 (built " + built.incrementAndGet() + ")"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("op: shape [2, 3] must have rank 3 (built 1)");
        assertThat(built).hasValue(1);
    }
}
