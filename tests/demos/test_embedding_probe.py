"""嵌入探针 (embedding_probe): PCA, the least-squares probe and R², against independent references."""

from __future__ import annotations

import numpy as np
import pytest

from demos import embedding_probe as demo
from demos._params import DemoError


def test_pca_svd_matches_eigendecomposition_of_covariance():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 6)) @ rng.standard_normal((6, 6)) + 3.0
    scores, comps, ratios = demo.pca(x, 3)
    c = x - x.mean(axis=0)
    evals, evecs = np.linalg.eigh(c.T @ c / (len(x) - 1))
    order = np.argsort(evals)[::-1]
    evals, evecs = evals[order], evecs[:, order]
    np.testing.assert_allclose(ratios, evals / evals.sum(), atol=1e-12)
    for i in range(3):  # same axis up to sign
        assert abs(comps[i] @ evecs[:, i]) == pytest.approx(1.0, abs=1e-9)
        # the scores' variance along each axis is that axis's eigenvalue
        assert scores[:, i].var(ddof=1) == pytest.approx(evals[i], rel=1e-9)
    np.testing.assert_allclose(comps @ comps.T, np.eye(3), atol=1e-12)


def test_pca_sign_rule_makes_largest_entry_positive():
    rng = np.random.default_rng(2)
    _, comps, _ = demo.pca(rng.standard_normal((30, 5)), 5)
    for v in comps:
        assert v[np.argmax(np.abs(v))] > 0


def test_pca_of_rank_two_data_explains_everything():
    _, _, coords = demo.city_table()
    emb, geo_dirs = demo.make_embeddings(coords, 10, 0.0, 0.0, np.random.default_rng(3))
    _, comps, ratios = demo.pca(emb, 2)
    assert ratios[:2].sum() == pytest.approx(1.0, abs=1e-12)
    # the PCA plane is the plane spanned by the two geographic directions
    q, _ = np.linalg.qr(geo_dirs.T)
    np.testing.assert_allclose(np.linalg.norm(q.T @ comps.T, axis=0), 1.0, atol=1e-9)


def test_large_nuisance_pulls_pca_away_from_geography():
    _, _, coords = demo.city_table()
    overlap = []
    for seed in range(10):
        emb, geo_dirs = demo.make_embeddings(coords, 32, 10.0, 0.1, np.random.default_rng(seed))
        _, comps, _ = demo.pca(emb, 2)
        q, _ = np.linalg.qr(geo_dirs.T)
        overlap.append(np.linalg.norm(q.T @ comps.T) ** 2 / 2)  # 1 = same plane, 0 = orthogonal
    # nuisance variance 100 per factor vs about 1–2 for geography: the top plane is mostly nuisance
    assert np.mean(overlap) < 0.2


@pytest.mark.parametrize("n,dim", [(40, 5), (12, 3), (8, 20)])  # over- and under-determined
def test_probe_matches_numpy_lstsq(n, dim):
    rng = np.random.default_rng(n + dim)
    x, y = rng.standard_normal((n, dim)), rng.standard_normal((n, 2))
    a = np.hstack([np.ones((n, 1)), x])
    expected = np.linalg.lstsq(a, y, rcond=None)[0]
    np.testing.assert_allclose(demo.fit_probe(x, y), expected, atol=1e-9)


def test_probe_matches_normal_equations():
    rng = np.random.default_rng(4)
    x, y = rng.standard_normal((30, 4)), rng.standard_normal((30, 2))
    a = np.hstack([np.ones((30, 1)), x])
    np.testing.assert_allclose(demo.fit_probe(x, y), np.linalg.solve(a.T @ a, a.T @ y), atol=1e-10)


def test_probe_recovers_an_exact_linear_map():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((25, 3))
    w = np.array([[1.0, -2.0], [0.5, 0.0], [0.0, 3.0], [-1.0, 1.0]])  # intercept row first
    np.testing.assert_allclose(demo.fit_probe(x, demo.design(x) @ w), w, atol=1e-10)


def test_r2_by_hand():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    # SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5; residuals 0.5, 0, 0, -0.5 → SS_res = 0.5
    assert demo.r2(y, [0.5, 2.0, 3.0, 4.5]) == pytest.approx(1 - 0.5 / 5)
    assert demo.r2(y, y) == 1.0
    assert demo.r2(y, np.full(4, 2.5)) == pytest.approx(0.0)  # always the mean
    assert demo.r2(y, [4.0, 3.0, 2.0, 1.0]) == pytest.approx(1 - 20 / 5)  # worse than the mean
    # two columns are pooled: Σ SS_res / Σ SS_tot
    yy = np.column_stack([y, 10 * y])
    pred = np.column_stack([y + 1, 10 * y])
    assert demo.r2(yy, pred) == pytest.approx(1 - 4 / (5 + 500))


def test_noise_free_embeddings_give_a_perfect_probe():
    r = demo.experiment(60, 8, 0.0, 0.0, 0.7, 0)
    assert r["real"][0] == pytest.approx(1.0) and r["real"][1] == pytest.approx(1.0)
    assert r["median_error"] < 1e-6


def test_real_task_beats_control_on_held_out_cities():
    """Statistical check over 20 seeds: stated tolerances, far from the observed means."""
    real, control = [], []
    for seed in range(20):
        r = demo.experiment(60, 8, 3.0, 0.1, 0.7, seed)
        real.append(r["real"][1])
        control.append(r["control"][1])
    assert np.mean(real) > 0.9 and min(real) > 0.6
    # random labels cannot be predicted: held-out R² is about 0 or below
    assert np.mean(control) < 0.1


def test_probe_memorises_random_labels_when_it_has_enough_parameters():
    # 10 training cities, 33 parameters: any labels can be fitted exactly on the training set
    r = demo.experiment(20, 32, 3.0, 0.1, 0.5, 0)
    assert r["control"][0] == pytest.approx(1.0)
    assert r["control"][1] < 0.5
    # with fewer parameters than training cities it cannot
    small = demo.experiment(60, 4, 3.0, 0.1, 0.7, 0)
    assert small["control"][0] < 0.5


def test_split_sizes_and_disjointness():
    train, test = demo.split(20, 0.7, np.random.default_rng(0))
    assert len(train) == 14 and len(test) == 6
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(range(20))


def test_city_table_is_sane():
    names, regions, coords = demo.city_table()
    assert len(names) == len(set(names)) == 60
    assert set(regions) == set(demo.REGIONS)
    assert (np.abs(coords[:, 0]) <= 90).all() and (np.abs(coords[:, 1]) <= 180).all()
    where = dict(zip(names, coords))
    assert where["台北"][0] > where["新加坡"][0] > where["悉尼"][0]  # north to south
    assert where["伦敦"][1] < where["莫斯科"][1] < where["东京"][1]  # west to east


@pytest.mark.parametrize("places,frac", [(10, 0.9), (10, 0.2), (12, 0.2)])
def test_too_small_a_split_is_a_demo_error(places, frac):
    with pytest.raises(DemoError) as err:
        demo.run(places=places, train_frac=frac)
    assert err.value.param == "train_frac"


def test_views_sizes_and_determinism():
    views = demo.run(places=30, train_frac=0.6, seed=3)
    assert sum(len(s["points"]) for s in views[0]["series"]) == 30
    assert [len(s["points"]) for s in views[1]["series"]] == [12, 12]
    assert views == demo.run(places=30, train_frac=0.6, seed=3)
    assert views != demo.run(places=30, train_frac=0.6, seed=4)
