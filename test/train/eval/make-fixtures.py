#!/usr/bin/env python3
"""Writes test/fixtures/stats-fixtures.json: reference values for src/train/eval computed
independently with numpy 2.4 / scipy 1.17 (run once; the JSON is committed and the tests do not
need python).

    python3 test/train/eval/make-fixtures.py

Contents: rmse / Pearson r / CCC (population moments), scipy.special.betainc, scipy.stats.t cdf/ppf,
scipy.stats.ttest_rel, t-based 95 % confidence intervals, and ridge-regression predictions (features
standardised with the training mean and population SD, SD 0 -> 1; closed form by numpy.linalg.solve;
lambda per output by leave-one-group-out inner CV minimising pooled squared error, ties -> larger lambda).
"""
import json
import os

import numpy as np
import scipy
from scipy import special, stats

rng = np.random.default_rng(20170614)
f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)


def scores(p, g):
    p, g = np.asarray(p), np.asarray(g)
    mx, my = p.mean(), g.mean()
    vx, vy = p.var(), g.var()
    cov = ((p - mx) * (g - my)).mean()
    return {
        "rmse": float(np.sqrt(((p - g) ** 2).mean())),
        "r": float(stats.pearsonr(p, g).statistic),
        "ccc": float(2 * cov / (vx + vy + (mx - my) ** 2)),
    }


metrics = []
for n, noise, bias in [(40, 0.3, 0.0), (61, 0.8, 0.25), (7, 0.1, -0.5)]:
    g = f32(rng.uniform(-1, 1, n))
    p = f32(0.7 * g + noise * rng.standard_normal(n) + bias)
    metrics.append({"pred": p.tolist(), "gold": g.tolist(), **scores(p, g)})

incbeta = [
    {"a": a, "b": b, "x": x, "value": float(special.betainc(a, b, x))}
    for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (10.0, 0.5, 0.9), (0.5, 10.0, 0.01), (50.0, 0.5, 0.99), (4.5, 0.5, 0.2), (1.0, 1.0, 0.77)]
]
tcdf = [{"t": t, "df": df, "cdf": float(stats.t.cdf(t, df))} for t, df in [(-2.5, 3), (0.3, 1), (1.96, 1000), (4.0, 9), (-0.7, 2.5), (12.0, 5)]]
tppf = [{"p": p, "df": df, "t": float(stats.t.ppf(p, df))} for p, df in [(0.975, 4), (0.975, 9), (0.995, 2), (0.025, 19), (0.9, 1)]]

ttest = []
for n, shift in [(5, 0.05), (10, 0.0), (24, 0.03), (3, 1.0)]:
    a = rng.normal(0.3, 0.1, n)
    b = a - shift + rng.normal(0, 0.05, n)
    res = stats.ttest_rel(a, b)
    ttest.append({"a": a.tolist(), "b": b.tolist(), "t": float(res.statistic), "p": float(res.pvalue), "df": n - 1})

ci = []
for n in [5, 12]:
    xs = rng.normal(0.5, 0.2, n)
    lo, hi = stats.t.interval(0.95, n - 1, loc=xs.mean(), scale=stats.sem(xs))
    ci.append({"xs": xs.tolist(), "mean": float(xs.mean()), "lo": float(lo), "hi": float(hi)})

# Ridge: 6 groups x 2 sequences, 8 features (one constant), 2 targets with a linear signal + noise.
dims = 8
true_w = rng.normal(0, 1, (dims, 2)) * np.array([[1], [0.5], [0], [2], [0.1], [0], [1], [0]])
seqs = []
for g in range(6):
    for k in range(2):
        count = int(rng.integers(15, 30))
        x = rng.normal(3.0, 2.0, (count, dims)) * np.linspace(0.5, 5, dims)
        x[:, 5] = 1.25  # constant feature -> SD 1, weight 0
        x = f32(x)
        y = np.tanh(0.05 * (x - 3.0) @ true_w + 0.2 * rng.standard_normal((count, 2)))
        y = f32(y)
        seqs.append({"id": f"s{g}-{k}", "group": f"g{g}", "count": count, "features": x.ravel().tolist(),
                     "arousal": y[:, 0].tolist(), "valence": y[:, 1].tolist()})


def stack(idx):
    X = np.concatenate([np.array(seqs[i]["features"]).reshape(-1, dims) for i in idx])
    Y = np.concatenate([np.stack([seqs[i]["arousal"], seqs[i]["valence"]], 1) for i in idx])
    return X, Y


def fit(X, Y, lam):
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z = (X - mu) / sd
    ybar = Y.mean(0)
    W = np.stack([np.linalg.solve(Z.T @ Z + lam[c] * np.eye(dims), Z.T @ (Y[:, c] - ybar[c])) for c in range(2)], 1)
    return lambda Xt: ((Xt - mu) / sd) @ W + ybar


train_idx = list(range(0, 10))
test_idx = [10, 11]
Xtr, Ytr = stack(train_idx)
fixed = fit(Xtr, Ytr, [10.0, 10.0])
grid = [0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0]
err = np.zeros((len(grid), 2))
groups = sorted({seqs[i]["group"] for i in train_idx})
for g in groups:
    inner_tr = [i for i in train_idx if seqs[i]["group"] != g]
    held = [i for i in train_idx if seqs[i]["group"] == g]
    Xi, Yi = stack(inner_tr)
    Xh, Yh = stack(held)
    for k, lam in enumerate(grid):
        err[k] += ((fit(Xi, Yi, [lam, lam])(Xh) - Yh) ** 2).sum(0)
chosen = [grid[max(k for k in range(len(grid)) if err[k, c] <= err[:, c].min())] for c in range(2)]
cv = fit(Xtr, Ytr, chosen)
pred = lambda model: [{"id": seqs[i]["id"], "arousal": model(stack([i])[0])[:, 0].tolist(), "valence": model(stack([i])[0])[:, 1].tolist()} for i in test_idx]

out = {
    "generatedBy": f"test/train/eval/make-fixtures.py with numpy {np.__version__}, scipy {scipy.__version__}",
    "metrics": metrics,
    "incbeta": incbeta,
    "tcdf": tcdf,
    "tppf": tppf,
    "ttest": ttest,
    "ci": ci,
    "ridge": {
        "dims": dims,
        "sequences": seqs,
        "train": train_idx,
        "test": test_idx,
        "fixed": {"lambda": 10.0, "predictions": pred(fixed)},
        "cv": {"grid": grid, "lambda": {"arousal": chosen[0], "valence": chosen[1]}, "cvError": err.tolist(), "predictions": pred(cv)},
    },
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "stats-fixtures.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path), "ridge lambda", chosen)
