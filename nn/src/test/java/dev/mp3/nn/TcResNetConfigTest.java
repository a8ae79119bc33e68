package dev.mp3.nn;

import dev.mp3.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TcResNetConfigTest {

    /** 1 - 0.997^(30000 / n): the authors' 0.003 at 30k updates; 1 - 0.997^50 = 0.1394860 at 600. */
    @Test
    void theBatchNormMomentumScalesWithTheRunLength() {
        assertThat(TcResNetConfig.scaledMomentum(30_000)).isCloseTo(0.003f, within(1e-7f));
        assertThat(TcResNetConfig.scaledMomentum(600)).isCloseTo(0.1394860f, within(1e-6f));
        assertThat(TcResNetConfig.scaledMomentum(60_000)).isLessThan(0.003f);
        assertThatThrownBy(() -> TcResNetConfig.scaledMomentum(0)).hasMessageContaining("updates must be positive");
    }

    @Test
    void theModelsBatchNormsUseTheConfigsMomentum() {
        TcResNet8 net = new TcResNet8(TcResNetConfig.paper(40, 12).withBnMomentum(0.5f), new Rng(1));
        net.train(new Rng(2));
        float before = net.bn.runningMean.value().toFloatArray()[0];
        net.forward(dev.mp3.autograd.Var.constant(new Rng(3).normal(2f, 1f, 4, 40, 20)));
        float batchMean = net.bn.runningMean.value().toFloatArray()[0];
        // running = 0.5 running + 0.5 batch: the first channel moved halfway from 0 to its batch mean.
        assertThat(before).isZero();
        assertThat(batchMean).isNotZero();
        TcResNet8 slow = new TcResNet8(TcResNetConfig.paper(40, 12).withBnMomentum(0.25f), new Rng(1));
        slow.train(new Rng(2));
        slow.forward(dev.mp3.autograd.Var.constant(new Rng(3).normal(2f, 1f, 4, 40, 20)));
        assertThat(slow.bn.runningMean.value().toFloatArray()[0]).isCloseTo(batchMean / 2, within(1e-5f));
        assertThatThrownBy(() -> TcResNetConfig.paper(40, 12).withBnMomentum(0f)).hasMessageContaining("momentum");
    }
}
