package dev.mp3.opencl;

import dev.mp3.autograd.GraphTest;
import dev.mp3.autograd.OpGradTest;
import dev.mp3.tensor.AdamTest;
import dev.mp3.tensor.AttentionTest;
import dev.mp3.tensor.BadInputTest;
import dev.mp3.tensor.ConvTest;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.ElementwiseTest;
import dev.mp3.tensor.IndexingTest;
import dev.mp3.tensor.LayoutTest;
import dev.mp3.tensor.MatMulViewsTest;
import dev.mp3.tensor.OpTest;
import dev.mp3.tensor.RandomTest;
import dev.mp3.tensor.ReductionTest;
import dev.mp3.tensor.RowsTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared op suites of the tensor and autograd modules, every case rerun on the OpenCL device
 * and checked against the same double-precision references as on the CPU. Each nested class is one
 * suite with the device swapped; a new op gets tested here by writing its cases once, in its
 * suite. A suite whose case needs another tolerance on this backend overrides that case's
 * tolerance method here, with the reason.
 */
@EnabledIf("dev.mp3.opencl.ClTestSupport#platformFound")
class OpenClOpsTest {

    @Nested class Elementwise extends ElementwiseTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Reduction extends ReductionTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Rows extends RowsTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class MatMulViews extends MatMulViewsTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Attention extends AttentionTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Indexing extends IndexingTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Conv extends ConvTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Adam extends AdamTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Layout extends LayoutTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class BadInput extends BadInputTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Random extends RandomTest {
        @Override protected Device device() { return ClTestSupport.device(); }

        /** Without cl_khr_fp64 the kernel runs Box-Muller in float: the angle 2 pi u rounds by up to 4e-7. */
        @Override protected double normalAtol() {
            return ClTestSupport.backend().deviceInfo().hasExtension("cl_khr_fp64") ? super.normalAtol() : 1e-5;
        }
    }

    @Nested class OpGrad extends OpGradTest { @Override protected Device device() { return ClTestSupport.device(); } }

    @Nested class Graph extends GraphTest { @Override protected Device device() { return ClTestSupport.device(); } }

    /** Guards the list above: a suite added to the tensor or autograd tests must be added here too. */
    @Test
    void everySharedSuiteRunsHere() {
        Set<Class<?>> shared = ReflectionSupport.findAllClassesInPackage("dev.mp3",
                        c -> OpTest.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
                                && !c.getPackageName().equals(OpenClOpsTest.class.getPackageName()),
                        name -> true)
                .stream().collect(Collectors.toSet());
        Set<Class<?>> rerun = Arrays.stream(OpenClOpsTest.class.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class)).map(Class::getSuperclass).collect(Collectors.toSet());
        assertThat(shared).as("OpTest suites on the class path").isNotEmpty();
        assertThat(rerun).as("suites rerun on OpenCL").containsExactlyInAnyOrderElementsOf(shared);
    }
}
