package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.mp3.tensor.cpu.ElementwiseKernels.L;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;

/**
 * A GEMM epilogue: a bias vector added to C once its products are complete, one value per column
 * ({@code perRow} false, a linear layer's bias) or, in the transposed problem C^T that
 * {@link PackedGemm} may solve instead, one per row. Each element gets exactly one float addition,
 * c + bias, the operation a separate elementwise add performs, so a fused product gives the same
 * bits as the product followed by the add.
 */
record GemmBias(float[] data, int offset, boolean perRow) {

    GemmBias transposed() {
        return new GemmBias(data, offset, !perRow);
    }

    /** The bias of C element (i, j). */
    float at(int i, int j) {
        return data[offset + (perRow ? i : j)];
    }

    /**
     * Adds the bias to rows [i0, i1) x columns [j0, j1) of a row-major block of C at c[base]
     * (element (i, j) at base + i * ldc + j).
     */
    void addTo(float[] c, int base, int ldc, int i0, int i1, int j0, int j1) {
        if (perRow) {
            for (int i = i0; i < i1; i++) {
                int row = base + i * ldc;
                float v = data[offset + i];
                FloatVector bv = FloatVector.broadcast(S, v);
                int j = j0;
                for (; j + L <= j1; j += L) {
                    FloatVector.fromArray(S, c, row + j).add(bv).intoArray(c, row + j);
                }
                for (; j < j1; j++) {
                    c[row + j] += v;
                }
            }
            return;
        }
        // One bias per column: each vector of the bias loaded once, added down the rows.
        int j = j0;
        for (; j + L <= j1; j += L) {
            FloatVector bv = FloatVector.fromArray(S, data, offset + j);
            for (int i = i0, at = base + i0 * ldc + j; i < i1; i++, at += ldc) {
                FloatVector.fromArray(S, c, at).add(bv).intoArray(c, at);
            }
        }
        if (j < j1) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector bv = FloatVector.fromArray(S, data, offset + j, m);
            for (int i = i0, at = base + i0 * ldc + j; i < i1; i++, at += ldc) {
                FloatVector.fromArray(S, c, at, m).add(bv).intoArray(c, at, m);
            }
        }
    }
}
