"""Hyper-parameter search for the trading agent (the Optuna runbook's script, before the fixes)."""
import argparse
import gc

import numpy as np
import optuna
import torch
from torch import nn

from train.env import make_env
from train.evaluator import evaluate_split

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def build_model(trial: optuna.Trial, n_features: int) -> nn.Module:
    width = trial.suggest_int("width", 64, 512, log=True)
    depth = trial.suggest_int("depth", 1, 4)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(n_features, width), nn.ReLU()]
        n_features = width
    layers.append(nn.Linear(width, 3))
    return nn.Sequential(*layers).to(DEVICE)


def train_one_split(model, optimizer, env, steps: int) -> float:
    total = 0.0
    for step in range(steps):
        batch = torch.as_tensor(env.sample_batch(), device=DEVICE)
        outputs = model(batch)
        loss = outputs.pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
        del batch, outputs, loss  # expect: cuda-cache
    return total / steps


def objective(trial: optuna.Trial) -> float:  # expect: trial-no-guard
    lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
    env = make_env()
    model = build_model(trial, env.n_features)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scores = []
    for split in range(5):
        train_one_split(model, optimizer, env, steps=2_000)
        score = evaluate_split(model, env, split)
        scores.append(score)
        trial.report(float(np.mean(scores)), split)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return float(np.mean(scores))


def run_epochs(model, loader, optimizer, epochs: int) -> None:
    for epoch in range(epochs):
        for inputs, targets in loader:
            inputs = inputs.to(DEVICE)
            targets = targets.to(DEVICE)
            logits = model(inputs)
            loss = nn.functional.cross_entropy(logits, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            del logits, loss  # expect: cuda-cache
        gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    study = optuna.create_study(direction="maximize", study_name="cappuccino_auto")
    study.optimize(objective, n_trials=args.trials)


if __name__ == "__main__":
    main()
