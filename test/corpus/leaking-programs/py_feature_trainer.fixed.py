#!/usr/bin/env python3
"""Feature-projection trainer: fits a small linear layer on a synthetic stream of
batches with plain SGD, tracks metrics, keeps rolling checkpoints and evaluates
every epoch. Pure standard library: `Tensor` is a thin wrapper over array('d').

Run: python3 py_feature_trainer.py   (runs until interrupted)
"""
import array
import collections
import logging
import math
import random
import time

log = logging.getLogger("trainer")

HPARAMS = {
    "features": 32,
    "batch_size": 32,
    "lr": 0.01,
    "steps_per_epoch": 200,
    "keep_checkpoints": 3,
    "step_sleep": 0.08,     # the real job waits on its data loader here
}


class Tensor:
    __slots__ = ("rows", "cols", "data", "requires_grad")

    def __init__(self, rows, cols, data=None, requires_grad=False):
        self.rows, self.cols = rows, cols
        self.data = data if data is not None else array.array("d", bytes(8 * rows * cols))
        self.requires_grad = requires_grad

    @classmethod
    def randn(cls, rows, cols, rnd, scale=1.0):
        return cls(rows, cols, array.array("d", (rnd.gauss(0, scale) for _ in range(rows * cols))))

    def matmul(self, other):
        out = Tensor(self.rows, other.cols)
        a, b, o, n, m = self.data, other.data, out.data, self.cols, other.cols
        for i in range(self.rows):
            row = a[i * n:(i + 1) * n]
            for j in range(m):
                o[i * m + j] = sum(row[k] * b[k * m + j] for k in range(n))
        return out

    def sub(self, other):
        return Tensor(self.rows, self.cols, array.array("d", (x - y for x, y in zip(self.data, other.data))))

    def mean_square(self):
        return Tensor(1, 1, array.array("d", [sum(x * x for x in self.data) / len(self.data)]))

    def item(self):
        return self.data[0]

    def clone(self):
        return Tensor(self.rows, self.cols, array.array("d", self.data))


class SyntheticLoader:
    """Endless stream of (x, y) batches with y = x @ W_true + noise."""

    def __init__(self, features, batch_size, seed=0):
        self.rnd = random.Random(seed)
        self.features, self.batch_size = features, batch_size
        self.w_true = Tensor.randn(features, features, self.rnd, 0.3)

    def __iter__(self):
        while True:
            x = Tensor.randn(self.batch_size, self.features, self.rnd)
            y = x.matmul(self.w_true)
            yield x, y


class MetricsTracker:
    """Per-step metrics for the dashboard, plus per-epoch means."""

    def __init__(self):
        self.history = []
        self.epoch_losses = []
        self.last = {}

    def record(self, step, outputs):
        self.last = {"step": step, "loss": outputs["loss"].item()}
        self.epoch_losses.append(outputs["loss"].item())
        self.history.append(outputs["loss"].item())

    def end_epoch(self):
        mean = sum(self.epoch_losses) / max(1, len(self.epoch_losses))
        self.epoch_losses.clear()
        return mean


class Trainer:
    def __init__(self, hp):
        self.hp = hp
        self.rnd = random.Random(42)
        self.weights = Tensor.randn(hp["features"], hp["features"], self.rnd, 0.1)
        self.grad = Tensor(hp["features"], hp["features"])
        self.checkpoints = collections.deque(maxlen=hp["keep_checkpoints"])
        self.metrics = MetricsTracker()
        self.best = (math.inf, None)
        self.step = 0

    def train_step(self, x, y):
        pred = x.matmul(self.weights)
        err = pred.sub(y)
        loss = err.mean_square()
        # dL/dW = 2/N * x^T err, accumulated into a reused buffer.
        f, b = self.hp["features"], self.hp["batch_size"]
        g, xd, ed = self.grad.data, x.data, err.data
        scale = 2.0 / (b * f)
        for k in range(f):
            for j in range(f):
                g[k * f + j] = scale * sum(xd[i * f + k] * ed[i * f + j] for i in range(b))
        w = self.weights.data
        for idx in range(len(w)):
            w[idx] -= self.hp["lr"] * g[idx]
        return {"loss": loss, "activations": pred, "step": self.step}

    def evaluate(self, loader, batches=3):
        losses = []
        for _, (x, y) in zip(range(batches), loader):
            losses.append(x.matmul(self.weights).sub(y).mean_square().item())
        return sum(losses) / len(losses)

    def fit(self, loader, eval_loader):
        epoch = 0
        batches = iter(loader)
        while True:
            epoch += 1
            t0 = time.time()
            for _ in range(self.hp["steps_per_epoch"]):
                x, y = next(batches)
                outputs = self.train_step(x, y)
                self.step += 1
                self.metrics.record(self.step, outputs)
                time.sleep(self.hp["step_sleep"])
            train_loss = self.metrics.end_epoch()
            val_loss = self.evaluate(eval_loader)
            self.checkpoints.append((epoch, self.weights.clone()))
            if val_loss < self.best[0]:
                self.best = (val_loss, self.weights.clone())
            log.info("epoch %d train=%.4f val=%.4f steps=%d %.1fs", epoch, train_loss,
                     val_loss, self.step, time.time() - t0)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    hp = HPARAMS
    trainer = Trainer(hp)
    loader = SyntheticLoader(hp["features"], hp["batch_size"], seed=1)
    eval_loader = SyntheticLoader(hp["features"], hp["batch_size"], seed=1)
    try:
        trainer.fit(loader, eval_loader)
    except KeyboardInterrupt:
        log.info("stopped at step %d", trainer.step)


if __name__ == "__main__":
    main()
