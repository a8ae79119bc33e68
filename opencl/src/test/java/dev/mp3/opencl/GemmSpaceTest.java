package dev.mp3.opencl;

import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.ViTConfig;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The tuner's search space, the local-memory padding and the model workloads; no device needed. */
class GemmSpaceTest {

    /** A device as the space sees it: only gpu, local memory and the work-group limit matter. */
    static DeviceInfo gpu(long maxWorkGroup, long localBytes) {
        return device(true, maxWorkGroup, localBytes);
    }

    static DeviceInfo device(boolean gpu, long maxWorkGroup, long localBytes) {
        return new DeviceInfo(0, 0, null, null, "test", "1", "test device", "test", "OpenCL 1.2", "1", "OpenCL C 1.2", gpu,
                1L << 30, localBytes, 1L << 28, 8, maxWorkGroup, true, "");
    }

    @Test
    void theSpaceRespectsEachDevicesLimitsAndKeepsTheLargeRegisterBlocks() {
        for (DeviceInfo d : List.of(gpu(1024, 48 * 1024), gpu(256, 32 * 1024), gpu(1024, 16 * 1024),
                device(false, 4096, 2 << 20))) {
            List<GemmConfig> space = GemmConfig.space(d);
            String what = "gpu " + d.gpu() + ", " + d.maxWorkGroupSize() + " work-items, " + d.localMemBytes() + " bytes";
            assertThat(space).as(what).hasSizeGreaterThan(100).doesNotHaveDuplicates();
            assertThat(space.getFirst()).as(what).isEqualTo(GemmConfig.defaultFor(d));
            assertThat(GemmConfig.defaultFor(d).problem(d)).as(what).isNull();
            for (GemmConfig c : space) {
                assertThat(c.threads()).as(what + ": " + c).isLessThanOrEqualTo((int) d.maxWorkGroupSize());
                assertThat(c.localBytes()).as(what + ": " + c).isLessThanOrEqualTo(d.localMemBytes());
                assertThat(c.privateFloats()).as(what + ": " + c).isLessThanOrEqualTo(GemmConfig.MAX_PRIVATE_FLOATS);
                if (d.gpu()) {
                    assertThat(c.threads()).as(what + ": " + c).isGreaterThanOrEqualTo(GemmConfig.MIN_GPU_THREADS);
                }
            }
        }
        assertThat(GemmConfig.defaultFor(gpu(1024, 48 * 1024))).isEqualTo(GemmConfig.GPU_DEFAULT);
        assertThat(GemmConfig.GPU_DEFAULT.localBytes()).isGreaterThan(16 * 1024);
        assertThat(GemmConfig.defaultFor(gpu(1024, 16 * 1024))).isEqualTo(GemmConfig.GPU_SMALL);
        List<GemmConfig> space = GemmConfig.space(gpu(1024, 48 * 1024));
        assertThat(space).contains(new GemmConfig(128, 128, 16, 8, 8, 4, true), new GemmConfig(128, 128, 16, 8, 8, 4, false),
                new GemmConfig(128, 64, 16, 8, 8, 8, true));
        // Each parameter takes every value somewhere in the space.
        for (int v : GemmConfig.TILES) {
            assertThat(space).anyMatch(c -> c.tm() == v).anyMatch(c -> c.tn() == v);
        }
        for (int v : GemmConfig.DEPTHS) {
            assertThat(space).anyMatch(c -> c.tk() == v);
        }
        for (int v : GemmConfig.BLOCKS) {
            assertThat(space).anyMatch(c -> c.wm() == v).anyMatch(c -> c.wn() == v);
        }
        for (int v : GemmConfig.VECTORS) {
            assertThat(space).anyMatch(c -> c.vw() == v);
        }
        // A budgeted tuner reaches the big register-blocked tiles early.
        assertThat(space.subList(0, 20)).anyMatch(c -> c.tm() == 128 && c.tn() == 128 && c.wm() == 8 && c.wn() == 8);
    }

    /**
     * Simulates the transposed staging of gemm.cl (stage(), kFast): for every configuration of the
     * GPU space and both tiles, each warp's store of element j of its runs touches 32 different banks.
     */
    @Test
    void transposedStagingIsFreeOfBankConflicts() {
        for (GemmConfig c : GemmConfig.space(gpu(1024, 64 * 1024))) {
            for (int rows : new int[] {c.tm(), c.tn()}) {
                int stride = rows + c.pad(rows);
                int perRow = c.tk() / c.vw();
                int runs = c.tk() * rows / c.vw();
                int loads = (runs + c.threads() - 1) / c.threads();
                for (int l = 0; l < loads; l++) {
                    for (int warp = 0; warp < c.threads(); warp += 32) {
                        for (int j = 0; j < c.vw(); j++) {
                            Set<Integer> banks = new HashSet<>();
                            int lanes = 0;
                            for (int tid = warp; tid < Math.min(warp + 32, c.threads()); tid++) {
                                int v = tid + l * c.threads();
                                if (v < runs) {
                                    int r = v / perRow;
                                    int kk = (v % perRow) * c.vw();
                                    banks.add(((kk + j) * stride + r) % GemmConfig.BANKS);
                                    lanes++;
                                }
                            }
                            assertThat(banks).as(c + ", " + rows + " rows, stride " + stride).hasSize(lanes);
                        }
                    }
                }
            }
        }
    }

    /** The tuner's workloads are the models' GEMMs: sizes from the nn configs, FLOPs counted independently. */
    @Test
    void theWorkloadsAreTheModelsLinearLayers() {
        ViTConfig vit = ViTConfig.cifar100();
        int batch = 256;
        int tokens = vit.numPatches();
        int context = tokens - tokens / 2;   // eta 0.5
        int dim = vit.dim();
        int hidden = (int) (dim * vit.mlpRatio());
        int patchValues = vit.patchSize() * vit.patchSize() * vit.channels();
        GemmWorkload w = GemmWorkload.vitSmallCifarPretraining();
        assertThat(w.products()).anyMatch(p -> p.m() == batch * tokens && p.n() == hidden && p.k() == dim && !p.transA()
                && p.transB() && p.count() == vit.depth());
        assertThat(w.products()).anyMatch(p -> p.m() == dim && p.n() == hidden && p.k() == batch * tokens && p.transA()
                && !p.transB() && p.count() == vit.depth());
        // forward + input gradient + weight gradient = 3 products of 2 * rows * in * out FLOPs; the
        // patch embedding has no input gradient.
        double perBlock = 3 * 2.0 * batch * (tokens * dim * dim * 2 + context * dim * dim * 2 + tokens * dim * hidden * 2);
        double expected = vit.depth() * perBlock + 2 * 2.0 * batch * tokens * patchValues * dim
                + 3 * 2.0 * batch * tokens * dim * tokens;
        assertThat(w.flops()).isEqualTo(expected);

        SpeechConfig sp = SpeechConfig.paper();
        int rows = 256 * sp.frames();
        GemmWorkload s = GemmWorkload.speechPretraining();
        double speechBlock = 3 * 2.0 * rows * (4 * sp.dim() * sp.dim() + 2 * sp.dim() * sp.ffDim());
        assertThat(s.flops()).isEqualTo(sp.depth() * speechBlock + 2 * 2.0 * rows * sp.features() * sp.dim()
                + 3 * 2.0 * rows * sp.dim() * sp.frames());
        assertThat(GemmWorkload.models()).containsExactly(w, s);
    }
}
