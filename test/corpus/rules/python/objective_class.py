import lightgbm as lgb
import optuna


class Objective:
    def __init__(self, data):
        self.data = data

    def __call__(self, trial):
        params = {"num_leaves": trial.suggest_int("num_leaves", 8, 256)}
        result = lgb.cv(params, self.data, num_boost_round=5000, nfold=5)
        return min(result["valid l2-mean"])


def tune(data):
    study = optuna.create_study()
    study.optimize(Objective(data), n_trials=2000)  # expect: trial-no-guard
    return study.best_params


def tune_guarded(data):
    study = optuna.create_study()
    study.optimize(Objective(data), n_trials=2000, timeout=3600, gc_after_trial=True)
    return study.best_params
