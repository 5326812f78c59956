"""A search whose objective takes extra arguments through a lambda."""
from functools import partial

import optuna
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score


def score_forest(trial, X, y):  # expect: trial-no-guard
    """Cross-validated accuracy of one forest."""
    n_estimators = trial.suggest_int("n_estimators", 10, 500)
    max_depth = trial.suggest_int("max_depth", 2, 32, log=True)
    clf = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth)
    return cross_val_score(clf, X, y, cv=3).mean()


def report(study):
    print(study.best_params)


if __name__ == "__main__":
    X, y = load_digits(return_X_y=True)
    study = optuna.create_study(direction="maximize")
    study.optimize(lambda trial: score_forest(trial, X, y), n_trials=100, timeout=3600)
    report(study)
