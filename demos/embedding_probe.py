"""Toy city embeddings: PCA's unsupervised map vs a linear probe for latitude/longitude, with a control task (chapter 12)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import DemoError, Float, Int, demo_entry

TITLE = "嵌入里藏着地图吗：PCA 投影、线性探针与对照任务"

PARAMS = {
    "places": Int(60, 10, 60, label="城市数", help="从内置的 60 座城市里随机取多少座（种子决定取哪些）"),
    "dim": Int(32, 2, 64, label="嵌入维度", help="每座城市的嵌入有多少个数；探针的参数个数是维度 + 1"),
    "nuisance": Float(
        3.0, 0.0, 10.0, 0.5, label="无关因素强度", help="与地理无关的 4 个隐藏因素（好比词频、名字长短）在嵌入里的幅度"
    ),
    "noise": Float(0.1, 0.0, 3.0, 0.05, label="噪声", help="每一维额外加上的随机扰动的标准差"),
    "train_frac": Float(0.7, 0.2, 0.9, 0.05, label="训练集比例", help="用来训练探针的城市比例，其余城市留作测试"),
    "seed": Int(0, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}

PYODIDE_CASES = [
    {"dim": 64, "nuisance": 0.0, "noise": 0.0, "train_frac": 0.9},
    {"places": 12, "dim": 2, "nuisance": 10.0, "noise": 3.0, "train_frac": 0.5, "seed": 7},
]

NUISANCE_FACTORS = 4  # hidden non-geographic factors
LAT_SCALE, LON_SCALE = 30.0, 60.0  # degrees per unit of the hidden geographic factors
MIN_SPLIT = 3  # cities each side of the split needs at least

# (name, region, latitude, longitude), rounded to 0.1 degree.
CITIES = (
    ("台北", "亚洲", 25.0, 121.6),
    ("高雄", "亚洲", 22.6, 120.3),
    ("北京", "亚洲", 39.9, 116.4),
    ("上海", "亚洲", 31.2, 121.5),
    ("广州", "亚洲", 23.1, 113.3),
    ("成都", "亚洲", 30.7, 104.1),
    ("乌鲁木齐", "亚洲", 43.8, 87.6),
    ("香港", "亚洲", 22.3, 114.2),
    ("东京", "亚洲", 35.7, 139.7),
    ("札幌", "亚洲", 43.1, 141.4),
    ("首尔", "亚洲", 37.6, 127.0),
    ("马尼拉", "亚洲", 14.6, 121.0),
    ("河内", "亚洲", 21.0, 105.9),
    ("曼谷", "亚洲", 13.8, 100.5),
    ("新加坡", "亚洲", 1.3, 103.8),
    ("雅加达", "亚洲", -6.2, 106.8),
    ("新德里", "亚洲", 28.6, 77.2),
    ("孟买", "亚洲", 19.1, 72.9),
    ("德黑兰", "亚洲", 35.7, 51.4),
    ("迪拜", "亚洲", 25.2, 55.3),
    ("乌兰巴托", "亚洲", 47.9, 106.9),
    ("伦敦", "欧洲", 51.5, -0.1),
    ("巴黎", "欧洲", 48.9, 2.4),
    ("柏林", "欧洲", 52.5, 13.4),
    ("罗马", "欧洲", 41.9, 12.5),
    ("马德里", "欧洲", 40.4, -3.7),
    ("莫斯科", "欧洲", 55.8, 37.6),
    ("斯德哥尔摩", "欧洲", 59.3, 18.1),
    ("雷克雅未克", "欧洲", 64.1, -21.9),
    ("伊斯坦布尔", "欧洲", 41.0, 29.0),
    ("雅典", "欧洲", 38.0, 23.7),
    ("华沙", "欧洲", 52.2, 21.0),
    ("里斯本", "欧洲", 38.7, -9.1),
    ("开罗", "非洲", 30.0, 31.2),
    ("内罗毕", "非洲", -1.3, 36.8),
    ("开普敦", "非洲", -33.9, 18.4),
    ("约翰内斯堡", "非洲", -26.2, 28.0),
    ("拉各斯", "非洲", 6.5, 3.4),
    ("达喀尔", "非洲", 14.7, -17.4),
    ("卡萨布兰卡", "非洲", 33.6, -7.6),
    ("亚的斯亚贝巴", "非洲", 9.0, 38.7),
    ("纽约", "北美洲", 40.7, -74.0),
    ("洛杉矶", "北美洲", 34.1, -118.2),
    ("芝加哥", "北美洲", 41.9, -87.6),
    ("温哥华", "北美洲", 49.3, -123.1),
    ("多伦多", "北美洲", 43.7, -79.4),
    ("墨西哥城", "北美洲", 19.4, -99.1),
    ("迈阿密", "北美洲", 25.8, -80.2),
    ("安克雷奇", "北美洲", 61.2, -149.9),
    ("檀香山", "北美洲", 21.3, -157.9),
    ("圣保罗", "南美洲", -23.6, -46.6),
    ("布宜诺斯艾利斯", "南美洲", -34.6, -58.4),
    ("利马", "南美洲", -12.0, -77.0),
    ("波哥大", "南美洲", 4.7, -74.1),
    ("圣地亚哥", "南美洲", -33.4, -70.7),
    ("里约热内卢", "南美洲", -22.9, -43.2),
    ("悉尼", "大洋洲", -33.9, 151.2),
    ("墨尔本", "大洋洲", -37.8, 145.0),
    ("珀斯", "大洋洲", -31.9, 115.9),
    ("奥克兰", "大洋洲", -36.8, 174.8),
)
REGIONS = ("亚洲", "欧洲", "非洲", "北美洲", "南美洲", "大洋洲")


# ----------------------------------------------------------------- the toy world


def city_table():
    """(names, regions, coords) for all built-in cities; coords is (n, 2) as (latitude, longitude)."""
    names = [c[0] for c in CITIES]
    regions = [c[1] for c in CITIES]
    coords = np.array([[c[2], c[3]] for c in CITIES], dtype=float)
    return names, regions, coords


def unit_directions(rng, k, dim):
    """``k`` random directions in R^dim, each of length 1, as the rows of a (k, dim) array."""
    a = rng.standard_normal((k, dim))
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def make_embeddings(coords, dim, nuisance, noise, rng):
    """Toy embeddings: latitude/longitude written linearly into R^dim, plus nuisance factors and noise.

    e = (lat/30)·u_lat + (lon/60)·u_lon + Σ_j nuisance·z_j·v_j + noise·ε, with random unit
    directions u, v and standard normal z, ε.  Returns (embeddings (n, dim), geographic directions (2, dim)).
    """
    coords = np.asarray(coords, dtype=float)
    n = len(coords)
    geo_dirs = unit_directions(rng, 2, dim)
    nui_dirs = unit_directions(rng, NUISANCE_FACTORS, dim)
    geo = coords / np.array([LAT_SCALE, LON_SCALE])
    hidden = nuisance * rng.standard_normal((n, NUISANCE_FACTORS))
    emb = geo @ geo_dirs + hidden @ nui_dirs + noise * rng.standard_normal((n, dim))
    return emb, geo_dirs


# ----------------------------------------------------------------- PCA


def pca(x, k=2):
    """Project the rows of ``x`` on their top-``k`` principal components (via SVD of the centred data).

    Returns (scores (n, k), components (k, dim), explained-variance ratios of all components).
    Each component's sign is fixed so its largest-magnitude entry is positive, so the
    answer does not depend on the LAPACK build.
    """
    x = np.asarray(x, dtype=float)
    c = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(c, full_matrices=False)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    vt = vt * signs[:, None]
    var = s**2
    total = var.sum()
    ratios = var / total if total > 0 else np.zeros_like(var)
    k = min(k, vt.shape[0])
    return c @ vt[:k].T, vt[:k], ratios


# ----------------------------------------------------------------- linear probe


def design(x):
    """``x`` with a leading column of ones (the probe's intercept)."""
    x = np.asarray(x, dtype=float)
    return np.hstack([np.ones((len(x), 1)), x])


def fit_probe(x, y):
    """Least-squares linear probe: weights W (dim+1, outputs) minimising ‖[1 x]W − y‖².

    Computed with the SVD pseudo-inverse, so when there are fewer items than
    parameters it returns the minimum-norm solution (the one np.linalg.lstsq gives).
    """
    a = design(x)
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    cutoff = s.max() * max(a.shape) * np.finfo(float).eps if s.size else 0.0
    inv = np.where(s > cutoff, 1.0 / np.where(s > cutoff, s, 1.0), 0.0)
    return vt.T @ (inv[:, None] * (u.T @ np.asarray(y, dtype=float)))


def predict(w, x):
    """The probe's outputs for embeddings ``x``."""
    return design(x) @ w


def r2(y_true, y_pred):
    """Coefficient of determination pooled over output columns: 1 − ΣSS_res / ΣSS_tot.

    SS_tot is measured around the mean of ``y_true`` itself, so 0 means "no better than
    always answering the average" and a negative value means worse than that.
    """
    y_true = np.asarray(y_true, dtype=float).reshape(len(y_true), -1)
    y_pred = np.asarray(y_pred, dtype=float).reshape(len(y_pred), -1)
    ss_res = ((y_true - y_pred) ** 2).sum()
    ss_tot = ((y_true - y_true.mean(axis=0)) ** 2).sum()
    return float(1.0 - ss_res / ss_tot) if ss_tot > 0 else 0.0


def split(n, train_frac, rng):
    """Random (train indices, test indices) with round(n·train_frac) items for training."""
    order = rng.permutation(n)
    n_train = int(round(n * train_frac))
    return np.sort(order[:n_train]), np.sort(order[n_train:])


def probe_scores(emb, y, train, test):
    """(train R², test R², test predictions) of a probe fitted on the training rows."""
    w = fit_probe(emb[train], y[train])
    return r2(y[train], predict(w, emb[train])), r2(y[test], predict(w, emb[test])), predict(w, emb[test])


def experiment(places, dim, nuisance, noise, train_frac, seed):
    """Everything the demo shows, as a dict of arrays (also used by the chapter's figures)."""
    n_train = int(round(places * train_frac))
    if n_train < MIN_SPLIT or places - n_train < MIN_SPLIT:
        raise DemoError(
            f"{places} 座城市按 {train_frac:g} 划分后，训练集 {n_train} 座、测试集 "
            f"{places - n_train} 座；两边都至少要 {MIN_SPLIT} 座。请增加城市数或调整比例。",
            param="train_frac",
        )
    rng = np.random.default_rng(seed)
    names, regions, coords = city_table()
    pick = np.sort(rng.permutation(len(names))[:places])
    names = [names[i] for i in pick]
    regions = [regions[i] for i in pick]
    coords = coords[pick]
    emb, _ = make_embeddings(coords, dim, nuisance, noise, rng)
    train, test = split(places, train_frac, rng)
    control = coords[rng.permutation(places)]  # each city gets another city's coordinates
    scores, _, ratios = pca(emb, 2)
    real_train, real_test, pred = probe_scores(emb, coords, train, test)
    ctrl_train, ctrl_test, _ = probe_scores(emb, control, train, test)
    err = np.sqrt(((pred - coords[test]) ** 2).sum(axis=1))
    return {
        "names": names,
        "regions": regions,
        "coords": coords,
        "emb": emb,
        "train": train,
        "test": test,
        "pca": scores,
        "ratios": ratios,
        "pred": pred,
        "real": (real_train, real_test),
        "control": (ctrl_train, ctrl_test),
        "median_error": float(np.median(err)),
    }


@demo_entry(PARAMS)
def run(places, dim, nuisance, noise, train_frac, seed):
    """Views: PCA scatter by region, probe predictions vs truth on test cities, R² table, a summary."""
    r = experiment(places, dim, nuisance, noise, train_frac, seed)
    regions = np.array(r["regions"])
    pca_series = {reg: r["pca"][regions == reg] for reg in REGIONS if (regions == reg).any()}
    test = r["test"]
    lonlat_true = r["coords"][test][:, ::-1]
    lonlat_pred = r["pred"][:, ::-1]
    n_train, n_test = len(r["train"]), len(test)
    top2 = float(r["ratios"][:2].sum())
    (rt, rs), (ct, cs) = r["real"], r["control"]
    summary = (
        f"PCA 的前两个方向解释了 {top2:.0%} 的方差，但它们只是「变化最大」的方向，不一定是地理方向。"
        f"线性探针用 {n_train} 座城市学会读出经纬度，在没见过的 {n_test} 座城市上 R² = {rs:.2f}，"
        f"预测位置与真实位置的中位偏差约 {r['median_error']:.0f} 度。"
        f"对照任务把坐标随机分给城市：探针在训练集上也能拿到 R² = {ct:.2f}，因为 {dim + 1} 个参数去凑 {n_train} 个点本来就容易；"
        f"测试集却只有 {cs:.2f}{'（小于 0：比一律猜平均位置还差）' if cs < 0 else ''}。"
        f"所以要看的是测试集：真任务 {rs:.2f} 对对照任务 {cs:.2f}，差得越多，越能说明地理信息确实写在嵌入里，而不是探针自己背下来的。"
    )
    return [
        views.scatter(pca_series, title="无监督：嵌入的前两个主成分（按大洲着色）"),
        views.scatter(
            {"真实位置": lonlat_true, "探针预测": lonlat_pred},
            title="有监督：探针对测试城市的预测（经度，纬度）",
            xlim=(-180, 180),
            ylim=(-60, 80),
        ),
        views.table(
            ["任务", "训练集 R²", "测试集 R²"],
            [["真任务（经纬度）", rt, rs], ["对照任务（随机坐标）", ct, cs]],
            title="探针成绩：只有测试集上的差距才算数",
        ),
        views.text(summary, title="读数"),
    ]
