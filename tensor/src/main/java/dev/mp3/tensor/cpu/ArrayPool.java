package dev.mp3.tensor.cpu;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float arrays handed back by closed {@link dev.mp3.tensor.MemoryScope}s, kept by length for the
 * next output an op overwrites entirely. A training step allocates the same arrays step after step
 * (about 1.3 GB per step of the 192-wide ViT at batch 128): fresh ones are zeroed by the JVM on the
 * calling thread, at about 10 GB/s, while the pool's workers wait, and fill the heap for the
 * collector. Recycled ones skip both.
 *
 * <p>Only arrays of exactly the length asked for are reused, and none shorter than
 * {@link #MIN_LENGTH}. The pool holds at most its capacity (three quarters of the maximum heap for
 * the {@link #SHARED} one: a whole step's outputs, 620-680 MB at the demo's shape, under the
 * launcher's 1,200 MB heap); past that, the lengths used least recently are dropped to the garbage
 * collector, so a finetuning phase does not keep the pretraining phase's arrays. The arrays are
 * held softly: a collector short of memory clears them before it would throw OutOfMemoryError, so
 * the pool never makes a run fail that would have fitted without it. Thread-safe: a
 * batch-building thread may take arrays too.
 */
final class ArrayPool {
    /** Arrays shorter than this are left to the allocator: a fresh small array is cheap. */
    static final int MIN_LENGTH = 1 << 14;

    /** The pool of the CPU backend. */
    static final ArrayPool SHARED = new ArrayPool(Runtime.getRuntime().maxMemory() / 4 * 3);

    private final long capacity;
    /** Free arrays by length, least recently used length first; bytes counts them all, cleared or not. */
    private final Map<Integer, ArrayDeque<SoftReference<float[]>>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ArrayPool(long capacity) {
        this.capacity = capacity;
    }

    /** An array of this length whose contents are arbitrary: a recycled one, or a fresh (zeroed) one. */
    float[] take(int length) {
        if (length >= MIN_LENGTH) {
            synchronized (this) {
                ArrayDeque<SoftReference<float[]>> arrays = free.get(length);
                while (arrays != null && !arrays.isEmpty()) {
                    bytes -= 4L * length;
                    float[] array = arrays.pop().get();
                    if (array != null) {
                        return array;
                    }
                }
            }
        }
        return new float[length];
    }

    /** Takes back an array no tensor will read again (its storage's scope has closed). */
    synchronized void give(float[] array) {
        if (array.length < MIN_LENGTH || 4L * array.length > capacity) {
            return;
        }
        free.computeIfAbsent(array.length, n -> new ArrayDeque<>()).push(new SoftReference<>(array));
        bytes += 4L * array.length;
        Iterator<Map.Entry<Integer, ArrayDeque<SoftReference<float[]>>>> leastRecent = free.entrySet().iterator();
        while (bytes > capacity && leastRecent.hasNext()) {
            Map.Entry<Integer, ArrayDeque<SoftReference<float[]>>> e = leastRecent.next();
            bytes -= 4L * e.getKey() * e.getValue().size();
            leastRecent.remove();
        }
    }

    /** The most bytes of free arrays the pool keeps. */
    long capacity() {
        return capacity;
    }

    /** Bytes held now (arrays the collector has cleared included until they are next looked for). */
    synchronized long bytes() {
        return bytes;
    }

    /** Drops every array. */
    synchronized void clear() {
        free.clear();
        bytes = 0;
    }
}
