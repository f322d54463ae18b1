"""Reference values for native/similarity tests, computed with numpy, scipy
and scikit-learn from the data the Go test sends on stdin (JSON). Each value
is computed the textbook way (Gram matrices, explicit formulas) so that it is
independent of the Go implementation's algebra. Prints a JSON object
{name: value}."""
import json
import sys

import numpy as np
from scipy.linalg import orthogonal_procrustes
from scipy.spatial.distance import pdist
from scipy.stats import pearsonr, spearmanr
from sklearn.cross_decomposition import CCA


def centre(a):
    return a - a.mean(axis=0, keepdims=True)


def cka_feature(x, y):
    x, y = centre(x), centre(y)
    return np.linalg.norm(y.T @ x, "fro") ** 2 / (
        np.linalg.norm(x.T @ x, "fro") * np.linalg.norm(y.T @ y, "fro"))


def hsic_biased(k, l):
    n = k.shape[0]
    h = np.eye(n) - np.ones((n, n)) / n
    return np.trace(k @ h @ l @ h)


def hsic_unbiased(k, l):
    # Song et al. 2012, eq. 5
    n = k.shape[0]
    kt, lt = k.copy(), l.copy()
    np.fill_diagonal(kt, 0)
    np.fill_diagonal(lt, 0)
    return (np.trace(kt @ lt) + kt.sum() * lt.sum() / ((n - 1) * (n - 2))
            - 2 * np.ones(n) @ kt @ lt @ np.ones(n) / (n - 2)) / (n * (n - 3))


def cka_gram(k, l, hsic):
    return hsic(k, l) / np.sqrt(hsic(k, k) * hsic(l, l))


def rbf(x, factor=1.0):
    # Kornblith / yuanli2333 / latentis convention
    g = x @ x.T
    d = np.diag(g)
    sq = d[:, None] + d[None, :] - 2 * g
    sigma = factor * np.sqrt(np.median(sq[sq != 0]))
    return np.exp(-sq / (2 * sigma ** 2))


def basis(x):
    q, _ = np.linalg.qr(centre(x))
    return q


def cca_rho(x, y):
    return np.linalg.svd(basis(x).T @ basis(y), compute_uv=False)


def svcca(x, y, t):
    def red(a):
        u, s, _ = np.linalg.svd(centre(a), full_matrices=False)
        k = int(np.argmax(np.cumsum(s) >= t * s.sum())) + 1
        return u[:, :k]
    ux, uy = red(x), red(y)
    return np.linalg.svd(ux.T @ uy, compute_uv=False).mean()


def pwcca(x, y):
    if x.shape[1] > y.shape[1]:
        x, y = y, x
    qx, qy = basis(x), basis(y)
    a, rho, _ = np.linalg.svd(qx.T @ qy, full_matrices=False)
    h = qx @ a
    w = np.abs(h.T @ centre(x)).sum(axis=1)
    return (w / w.sum()) @ rho


def unit(a):
    a = centre(a)
    return a / np.linalg.norm(a, "fro")


def netrep_whiten(x, alpha, tol=1e-7):
    # partial whitening of netrep.utils.whiten, preserve_variance=True
    if alpha > 1 - tol:
        return x
    lam, v = np.linalg.eigh(x.T @ x)
    lam = np.maximum(lam, tol)
    d = alpha + (1 - alpha) * lam ** (-0.5)
    new_var = np.sum(alpha ** 2 * lam + 2 * alpha * (1 - alpha) * lam ** 0.5 + (1 - alpha) ** 2)
    d *= np.sqrt(lam.sum() / new_var)
    return x @ ((v * d[None, :]) @ v.T)


def netrep_metric(x, y, alpha):
    # netrep LinearMetric(alpha, center_columns=True, zero_pad=True)
    w = max(x.shape[1], y.shape[1])
    x = np.pad(centre(x), ((0, 0), (0, w - x.shape[1])))
    y = np.pad(centre(y), ((0, 0), (0, w - y.shape[1])))
    xw, yw = netrep_whiten(x, alpha), netrep_whiten(y, alpha)
    u, _, vt = np.linalg.svd(xw.T @ yw)
    tx, ty = xw @ u, yw @ vt.T
    corr = np.dot(tx.ravel(), ty.ravel()) / (np.linalg.norm(tx) * np.linalg.norm(ty))
    return np.arccos(np.clip(corr, -1, 1)), np.linalg.norm(tx - ty, "fro")


def knn_sets(x, k, normalise):
    if normalise:
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        s = x @ x.T
        np.fill_diagonal(s, -1e8)
        return np.argsort(-s, axis=1, kind="stable")[:, :k]
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def main():
    inp = json.load(sys.stdin)
    out = {}
    for case in inp["cases"]:
        p = case["name"] + "/"
        x, y = np.array(case["X"]), np.array(case["Y"])
        n = x.shape[0]
        out[p + "linear_cka_feature"] = cka_feature(x, y)
        kx, ly = centre(x) @ centre(x).T, centre(y) @ centre(y).T
        out[p + "linear_cka_gram"] = cka_gram(x @ x.T, y @ y.T, hsic_biased)
        out[p + "debiased_cka"] = cka_gram(kx, ly, hsic_unbiased)
        out[p + "rbf_cka"] = cka_gram(rbf(x), rbf(y), hsic_biased)
        out[p + "rbf_cka_f2"] = cka_gram(rbf(x, 2.0), rbf(y, 2.0), hsic_biased)
        out[p + "debiased_rbf_cka"] = cka_gram(rbf(x), rbf(y), hsic_unbiased)
        ux, uy = unit(x), unit(y)
        out[p + "procrustes_nuc"] = 1 - np.linalg.norm(ux.T @ uy, "nuc")
        if x.shape[1] == y.shape[1]:
            _, scale = orthogonal_procrustes(ux, uy)
            out[p + "procrustes_scipy"] = 1 - scale
        for a in case["alphas"]:
            ang, euc = netrep_metric(x, y, a)
            out[p + "shape_angular_%g" % a] = ang
            out[p + "shape_euclidean_%g" % a] = euc
        if n >= max(x.shape[1], y.shape[1]):
            rho = cca_rho(x, y)
            out[p + "cca"] = rho.mean()
            for i, r in enumerate(rho):
                out[p + "cca_rho_%d" % i] = r
            sk = CCA(n_components=1, max_iter=5000, tol=1e-12, scale=False).fit(x, y)
            a, b = sk.transform(x, y)
            out[p + "cca_sklearn_first"] = abs(np.corrcoef(a[:, 0], b[:, 0])[0, 1])
            out[p + "pwcca"] = pwcca(x, y)
        out[p + "svcca"] = svcca(x, y, 0.99)
        out[p + "svcca_0.5"] = svcca(x, y, 0.5)
        for dist in ("euclidean", "correlation"):
            rx, ry = pdist(x, dist), pdist(y, dist)
            out[p + "rsa_%s_pearson" % dist] = pearsonr(rx, ry)[0]
            out[p + "rsa_%s_spearman" % dist] = spearmanr(rx, ry)[0]
        k = case["k"]
        for normalise, name in ((True, "mutual_knn"), (False, "knn_jaccard")):
            a, b = knn_sets(x, k, normalise), knn_sets(y, k, normalise)
            c = np.array([len(set(a[i]) & set(b[i])) for i in range(n)])
            out[p + name] = (c / k).mean() if normalise else (c / (2 * k - c)).mean()
        # minibatch: accumulate unbiased HSIC of the raw batches' linear kernels
        xy = xx = yy = 0.0
        per = []
        for lo, hi in case["batches"]:
            xb, yb = x[lo:hi], y[lo:hi]
            kb, lb = xb @ xb.T, yb @ yb.T
            xy += hsic_unbiased(kb, lb)
            xx += hsic_unbiased(kb, kb)
            yy += hsic_unbiased(lb, lb)
            per.append(cka_gram(kb, lb, hsic_unbiased))
        out[p + "minibatch_cka"] = xy / np.sqrt(xx * yy)
        out[p + "minibatch_mean_of_batches"] = float(np.mean(per))
    json.dump({k: float(v) for k, v in out.items()}, sys.stdout)


main()
