"""The same search after the runbook's fixes: every look-alike here must stay quiet."""
import gc
import time

import optuna
import psutil
import torch

MAX_TRIAL_SECONDS = 30 * 60
MAX_RSS_GB = 12.0


def cleanup_gpu_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def objective(trial: optuna.Trial) -> float:
    trial_start_time = time.time()
    process = psutil.Process()
    lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
    model = torch.nn.Linear(32, 3).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    best = float("inf")
    for split in range(5):
        if time.time() - trial_start_time > MAX_TRIAL_SECONDS:
            raise optuna.TrialPruned("Trial timeout")
        if process.memory_info().rss / 1024**3 > MAX_RSS_GB:
            cleanup_gpu_memory()
            raise optuna.TrialPruned("Memory limit exceeded")
        batch = torch.randn(256, 32, device="cuda")
        loss = model(batch).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        best = min(best, loss.item())
        del batch, loss
        cleanup_gpu_memory()
    return best


def check_limits(trial_start: float) -> None:
    if time.monotonic() - trial_start > MAX_TRIAL_SECONDS:
        raise optuna.TrialPruned("Trial timeout")


def objective_with_helper(trial: optuna.Trial) -> float:
    started = time.monotonic()
    total = 0.0
    for step in range(100):
        check_limits(started)
        total += trial.suggest_float(f"w{step}", 0, 1)
    return total


if __name__ == "__main__":
    study = optuna.create_study()
    study.optimize(objective, n_trials=50, gc_after_trial=True)
    study.optimize(objective_with_helper, n_trials=10, gc_after_trial=True)
