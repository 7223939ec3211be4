//! The risk formulas: the exact finite-$n$ ridgeless risk of a Gaussian design, its
//! asymptotic limit, and the Marchenko–Pastur risk of ridge regression (the figure's curves).
//! Derivations in `docs/theory/double-descent.md`.

/// The exact expected risk $\mathbb E\lVert\hat\beta - \beta\rVert^2$ of ridgeless least
/// squares with a Gaussian design: $\sigma^2 p/(n-p-1)$ for $p \le n-2$, $r^2(1 - n/p) +
/// \sigma^2 n/(p-n-1)$ for $p \ge n+2$; `None` (infinite) for $p \in \{n-1, n, n+1\}$.
pub fn exact_risk(n: u64, p: u64, signal: f64, noise: f64) -> Option<f64> {
    let (nf, pf) = (n as f64, p as f64);
    if p + 2 <= n {
        Some(noise * pf / (nf - pf - 1.0))
    } else if p >= n + 2 {
        Some(exact_bias(n, p, signal) + noise * nf / (pf - nf - 1.0))
    } else {
        None
    }
}

/// The bias $r^2(1 - n/p)$ of the minimum-norm fit for $p > n$ (0 for $p \le n$).
pub fn exact_bias(n: u64, p: u64, signal: f64) -> f64 {
    if p > n {
        signal * (1.0 - n as f64 / p as f64)
    } else {
        0.0
    }
}

/// The asymptotic ridgeless risk at $\gamma = p/n$: $\sigma^2\gamma/(1-\gamma)$ below 1,
/// $r^2(1 - 1/\gamma) + \sigma^2/(\gamma - 1)$ above; `None` at $\gamma = 1$.
pub fn asymptotic_risk(gamma: f64, signal: f64, noise: f64) -> Option<f64> {
    if gamma < 1.0 {
        Some(noise * gamma / (1.0 - gamma))
    } else if gamma > 1.0 {
        Some(signal * (1.0 - 1.0 / gamma) + noise / (gamma - 1.0))
    } else {
        None
    }
}

/// The Marchenko–Pastur Stieltjes transform $m(-\lambda) = \int (x + \lambda)^{-1}\,
/// \mu_\gamma(dx)$ and $m'(-\lambda) = \int (x + \lambda)^{-2}\,\mu_\gamma(dx)$ for $\lambda >
/// 0$: $m$ is the positive root of $\gamma\lambda m^2 + (\lambda + 1 - \gamma) m - 1 = 0$
/// (each form of the root chosen to avoid cancellation), $m'$ by implicit differentiation.
pub fn mp_stieltjes(gamma: f64, lambda: f64) -> (f64, f64) {
    let a = gamma * lambda;
    let b = lambda + 1.0 - gamma;
    let root = (b * b + 4.0 * a).sqrt();
    let m = if b >= 0.0 { 2.0 / (b + root) } else { (root - b) / (2.0 * a) };
    let m_prime = (gamma * m * m + m) / (2.0 * a * m + b);
    (m, m_prime)
}

/// The asymptotic risk of ridge regression with per-sample ridge $\lambda > 0$ (objective
/// $\frac1n\lVert y - Xb\rVert^2 + \lambda\lVert b\rVert^2$): $r^2\lambda^2 m'(-\lambda) +
/// \sigma^2\gamma\,[m(-\lambda) - \lambda m'(-\lambda)]$ (derived in
/// `docs/theory/double-descent.md` from the bias and variance of the ridge estimator and the
/// Marchenko–Pastur law of $X^\top X/n$).
pub fn ridge_risk(gamma: f64, lambda: f64, signal: f64, noise: f64) -> f64 {
    let (m, mp) = mp_stieltjes(gamma, lambda);
    signal * lambda * lambda * mp + noise * gamma * (m - lambda * mp)
}
