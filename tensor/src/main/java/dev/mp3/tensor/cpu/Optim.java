package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.mp3.tensor.cpu.Elementwise.L;
import static dev.mp3.tensor.cpu.Elementwise.S;

/** The Adam/AdamW update, vectorised, over a range of a parameter's elements. */
final class Optim {
    private Optim() {}

    static void adam(float[] p, float[] g, float[] m, float[] v, int lo, int hi, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bias1, float bias2) {
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        float stepSize = lr / bias1;
        float invSqrtBias2 = (float) (1.0 / Math.sqrt(bias2));
        int i = lo;
        for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
            FloatVector vp = FloatVector.fromArray(S, p, i);
            FloatVector vg = FloatVector.fromArray(S, g, i).add(vp.mul(l2));
            FloatVector vm = FloatVector.fromArray(S, m, i).mul(beta1).add(vg.mul(1f - beta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(vg.mul(vg).mul(1f - beta2));
            vm.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(invSqrtBias2).add(eps);
            vp.mul(decay).sub(vm.div(denom).mul(stepSize)).intoArray(p, i);
        }
        // The tail repeats the vector body's operations in its order, so an element's result does
        // not depend on whether a thread's range boundary put it in the body or the tail.
        for (; i < hi; i++) {
            float gi = g[i] + p[i] * l2;
            m[i] = m[i] * beta1 + gi * (1f - beta1);
            v[i] = v[i] * beta2 + gi * gi * (1f - beta2);
            float denom = (float) Math.sqrt(v[i]) * invSqrtBias2 + eps;
            p[i] = p[i] * decay - m[i] / denom * stepSize;
        }
    }
}
