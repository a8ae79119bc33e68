package dev.mp3.tensor.cpu;

import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Storage;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Large CPU outputs made inside a {@link MemoryScope} give their arrays back when it closes (also
 * those the collector took before), the next output of the same length reuses one (its old contents
 * never leak into a result), and a released tensor cannot be read; kept ones and those made outside
 * a scope stay usable.
 */
class ArrayPoolTest {
    private static final int N = 3 * ArrayPool.MIN_LENGTH + 5;

    @BeforeEach
    void emptyPool() {
        ArrayPool.SHARED.clear();
    }

    private static float[] random(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void aClosedScopesOutputsAreReusedAndTheirReuseComputesFreshValues() {
        float[] xs = random(1, N);
        Tensor x = Tensor.of(xs, N);
        float[] firstArray;
        try (MemoryScope step = MemoryScope.open()) {
            Tensor y = x.mul(3f);
            firstArray = CpuStorage.floats(y);
            assertThat(step.size()).isEqualTo(1);
        }
        assertThat(ArrayPool.SHARED.bytes()).isEqualTo(4L * N);
        try (MemoryScope step = MemoryScope.open()) {
            Tensor z = x.add(x);  // same length: takes the array the product left, full of 3x
            assertThat(CpuStorage.floats(z)).isSameAs(firstArray);
            float[] got = z.toFloatArray();
            for (int i = 0; i < N; i++) {
                assertThat(got[i]).isEqualTo(xs[i] + xs[i]);
            }
        }
    }

    @Test
    void recycledArrayBytesCountsTheLargeOutputsAndTheCapacityIsThreeQuartersOfTheHeap() {
        Tensor x = Tensor.of(random(4, N), N);
        Tensor small = Tensor.of(random(5, 100), 100);
        long before = CpuBackend.INSTANCE.recycledArrayBytes();
        try (MemoryScope step = MemoryScope.open()) {
            x.mul(2f);
            x.add(x);
            small.mul(2f);  // below MIN_LENGTH: left to the allocator, not counted
        }
        assertThat(CpuBackend.INSTANCE.recycledArrayBytes() - before).isEqualTo(2 * 4L * N);
        assertThat(CpuBackend.INSTANCE.arrayPoolCapacity()).isEqualTo(Runtime.getRuntime().maxMemory() / 4 * 3);
    }

    @Test
    void aReleasedTensorCannotBeReadAndAKeptOneCan() {
        Tensor x = Tensor.of(random(2, N), N);
        Tensor released;
        Tensor kept;
        try (MemoryScope step = MemoryScope.open()) {
            released = x.mul(2f);
            kept = MemoryScope.keep(x.mul(4f));
        }
        assertThatThrownBy(released::toFloatArray).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used after its memory scope closed").hasMessageContaining(N + " floats");
        assertThat(kept.toFloatArray()[7]).isEqualTo(x.toFloatArray()[7] * 4f);
        assertThat(ArrayPool.SHARED.bytes()).isEqualTo(4L * N);
    }

    @Test
    void anOutputTheCollectorTookBeforeItsScopeClosedGivesItsArrayBackAtTheClose() {
        Tensor x = Tensor.of(random(6, N), N);
        float[] array;
        WeakReference<Storage> storage;
        try (MemoryScope step = MemoryScope.open()) {
            Tensor y = x.mul(2f);
            array = CpuStorage.floats(y);
            storage = new WeakReference<>(y.storage());
            y = null;
            for (int i = 0; i < 20 && storage.get() != null; i++) {
                System.gc();
            }
            assertThat(storage.get()).as("the output's storage, unreachable, was collected").isNull();
            assertThat(ArrayPool.SHARED.bytes()).isZero();
        }
        assertThat(ArrayPool.SHARED.bytes()).isEqualTo(4L * N);
        assertThat(ArrayPool.SHARED.take(N)).isSameAs(array);
    }

    @Test
    void aGatherIntoARecycledArrayWritesZeroRowsForIndexMinusOne() {
        int rowLen = ArrayPool.MIN_LENGTH / 2;
        float[] src = random(7, 3 * rowLen);
        float[] dirty = new float[2 * rowLen];
        Arrays.fill(dirty, Float.NaN);
        ArrayPool.SHARED.give(dirty);
        Tensor out = Tensor.of(src, 3, rowLen).indexSelectOrZero(Tensor.ofInts(new int[] {-1, 2}, 2));
        assertThat(CpuStorage.floats(out)).as("the output took the dirty array").isSameAs(dirty);
        float[] got = out.toFloatArray();
        for (int j = 0; j < rowLen; j++) {
            assertThat(got[j]).isZero();
            assertThat(got[rowLen + j]).isEqualTo(src[2 * rowLen + j]);
        }
    }

    @Test
    void aConcatIntoARecycledArrayWritesEveryElement() {
        // ViT's cls concat: a [1, 1, D] token expanded over the batch in front of [B, T, D] patches.
        int b = 4;
        int t = 7;
        int d = ArrayPool.MIN_LENGTH / 16;
        float[] cls = random(9, d);
        float[] patches = random(10, b * t * d);
        float[] dirty = new float[b * (t + 1) * d];
        Arrays.fill(dirty, Float.NaN);
        ArrayPool.SHARED.give(dirty);
        Tensor out;
        try (MemoryScope step = MemoryScope.open()) {
            out = MemoryScope.keep(Tensor.concat(java.util.List.of(Tensor.of(cls, 1, 1, d).expand(b, 1, d),
                    Tensor.of(patches, b, t, d)), 1));
            assertThat(CpuStorage.floats(out)).as("the output took the dirty array").isSameAs(dirty);
        }
        float[] got = out.toFloatArray();
        for (int i = 0; i < b; i++) {
            for (int j = 0; j <= t; j++) {
                for (int c = 0; c < d; c++) {
                    float want = j == 0 ? cls[c] : patches[(i * t + j - 1) * d + c];
                    assertThat(got[(i * (t + 1) + j) * d + c]).as("[%d, %d, %d]", i, j, c).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void zerosInScopeTakeARecycledArrayZeroFilledAndGiveItBackAtTheClose() {
        float[] dirty = new float[N];
        Arrays.fill(dirty, Float.NaN);
        ArrayPool.SHARED.give(dirty);
        Tensor like = Tensor.of(random(8, N), 1, N);
        Tensor zeros;
        try (MemoryScope step = MemoryScope.open()) {
            zeros = like.zerosLikeInScope();
            assertThat(CpuStorage.floats(zeros)).as("the zeros took the dirty array").isSameAs(dirty);
            assertThat(zeros.shape()).containsExactly(1, N);
            float[] got = zeros.toFloatArray();
            for (int i = 0; i < N; i++) {
                assertThat(got[i]).isZero();
            }
            assertThat(step.size()).isEqualTo(1);
        }
        assertThat(ArrayPool.SHARED.bytes()).isEqualTo(4L * N);
        assertThatThrownBy(zeros::toFloatArray).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outputsMadeOutsideAScopeAreNeverRecycled() {
        Tensor x = Tensor.of(random(3, N), N);
        Tensor y = x.mul(2f);
        try (MemoryScope step = MemoryScope.open()) {
            assertThat(step.size()).isZero();
        }
        assertThat(ArrayPool.SHARED.bytes()).isZero();
        assertThat(y.toFloatArray()[0]).isEqualTo(x.toFloatArray()[0] * 2f);
    }

    @Test
    void theLeastRecentlyUsedLengthsGoFirstPastTheCapacity() {
        int n = ArrayPool.MIN_LENGTH;
        ArrayPool pool = new ArrayPool(4L * 3 * n);  // room for three arrays of n floats
        float[] a = new float[n];
        float[] b = new float[n + 16];
        pool.give(a);
        pool.give(b);
        assertThat(pool.take(n)).isSameAs(a);  // length n is now the most recently used
        pool.give(a);
        pool.give(new float[n + 32]);          // over the capacity: length n + 16 is dropped
        assertThat(pool.bytes()).isEqualTo(4L * (n + n + 32));
        assertThat(pool.take(n + 16)).isNotSameAs(b).hasSize(n + 16);
        assertThat(pool.take(n)).isSameAs(a);
        pool.give(new float[n - 1]);           // too short to keep
        pool.give(new float[4 * n]);           // longer than the whole capacity
        assertThat(pool.bytes()).isEqualTo(4L * (n + 32));
    }
}
