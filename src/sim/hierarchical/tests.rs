//! Unit tests of the hierarchical target, the quadratic network and the `kernel-gap` algebra.

use super::target::exact_level_two;
use super::*;
use crate::numerics::draw_gaussians;
use crate::rng::rng_from_u64;
use faer::Mat;

/// Mean and variance of each term by Monte Carlo on 2^20 samples. The mean's standard error
/// is 0.001 (tolerance 0.01). Levels 1 and 2 are normalised exactly; the variance's standard
/// error is about sqrt(κ/n) with kurtosis κ ≲ 40 for the degree-4 term, ≈ 0.006 (tolerance
/// 0.03). Level 3 (degree 8) is normalised by Monte Carlo itself and is very heavy-tailed
/// (two independent 2^20-sample estimates differed by 0.1 in a first run), so its
/// tolerance is 0.25: it pins a gross error (a missing centring, a wrong level), not the
/// third digit.
#[test]
fn every_term_is_centred_and_normalised() {
    for maps in [LevelMaps::Orthogonal, LevelMaps::Gaussian] {
        check_centred_and_normalised(maps);
    }
}

fn check_centred_and_normalised(maps: LevelMaps) {
    let mut rng = rng_from_u64(7);
    let target = HierarchicalTarget::new(12, 4, &[1.0, 0.3, 0.1], maps, &mut rng).unwrap();
    let n = 1 << 20;
    let mut sum = [0.0; 3];
    let mut sq = [0.0; 3];
    let mut x = vec![0.0; 12];
    for _ in 0..n {
        draw_gaussians(&mut x, &mut rng);
        for (l, t) in target.terms(&x).iter().enumerate() {
            sum[l] += t;
            sq[l] += t * t;
        }
    }
    for l in 0..3 {
        let mean = sum[l] / n as f64;
        let var = sq[l] / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01, "{maps:?} level {}: mean {mean}", l + 1);
        let var_tol = if l < 2 { 0.03 } else { 0.25 };
        assert!((var - 1.0).abs() < var_tol, "{maps:?} level {}: variance {var}", l + 1);
    }
}

/// A level-1 net whose first layer is the truth spans $G_1$ exactly ($h_r = z_r^2 - 1$
/// for $r \le k$): $E_1 = 0$; with rows orthogonal to $W_1^*$ it carries none of it:
/// $E_1 \approx 1$ (minus the chance fit of $m + 1$ columns on $n$ points, ~$m/n$).
#[test]
fn the_level_feature_error_is_zero_on_the_truth_and_one_off_it() {
    let mut rng = rng_from_u64(9);
    let (d, k) = (10, 3);
    let target = HierarchicalTarget::new(d, k, &[1.0, 0.3], LevelMaps::Gaussian, &mut rng).unwrap();
    let x = Mat::from_fn(2000, d, |_, _| 0.0);
    let mut x = x;
    let mut row = vec![0.0; d];
    for i in 0..2000 {
        draw_gaussians(&mut row, &mut rng);
        row.iter().enumerate().for_each(|(j, v)| x[(i, j)] = *v);
    }
    let mut net = QuadNet::new(d, &[k, 4], 32, &[1.0, 1.0], &mut rng).unwrap();
    net.w[0] = Mat::from_fn(k, d, |r, j| if r == j { 1.0 } else { 0.0 });
    let on = level_feature_error(&mut net, &target, 1, &x).unwrap();
    assert!(on < 1e-12, "{on}");
    net.w[0] = Mat::from_fn(k, d, |r, j| if j == k + r { 1.0 } else { 0.0 });
    let off = level_feature_error(&mut net, &target, 1, &x).unwrap();
    assert!(off > 0.99, "{off}");
}

/// The reason for [`LevelMaps::Gaussian`]: with orthogonal maps the level-2 term is almost
/// the V-free $\lVert G_1\rVert^2$ (correlation 0.994-0.999 in four draws at k = 4); with
/// Gaussian maps it is not. 2^16 samples put the correlation's standard error below 0.01.
#[test]
fn gaussian_maps_make_level_two_depend_on_the_map() {
    let corr_with_norm = |maps: LevelMaps, seed: u64| {
        let mut rng = rng_from_u64(seed);
        let target = HierarchicalTarget::new(4, 4, &[1.0, 1.0], maps, &mut rng).unwrap();
        let n = 1 << 16;
        let (mut x, mut sa, mut sb, mut saa, mut sbb, mut sab) =
            (vec![0.0; 4], 0.0, 0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            draw_gaussians(&mut x, &mut rng);
            let a = target.terms(&x)[1];
            let b: f64 = x.iter().map(|z| ((z * z - 1.0) / 2f64.sqrt()).powi(2)).sum();
            (sa, sb, saa, sbb, sab) = (sa + a, sb + b, saa + a * a, sbb + b * b, sab + a * b);
        }
        let nf = n as f64;
        let cov = sab / nf - sa * sb / (nf * nf);
        cov / ((saa / nf - (sa / nf).powi(2)) * (sbb / nf - (sb / nf).powi(2))).sqrt()
    };
    for seed in 1..=3 {
        let orthogonal = corr_with_norm(LevelMaps::Orthogonal, seed);
        let gaussian = corr_with_norm(LevelMaps::Gaussian, seed);
        assert!(orthogonal > 0.98, "seed {seed}: orthogonal maps, correlation {orthogonal}");
        assert!(gaussian < 0.95, "seed {seed}: Gaussian maps, correlation {gaussian}");
    }
}

#[test]
fn level_two_normalisation_is_exact_for_the_identity_map() {
    // V = I: u_i = g_i, Var(g²) = E g⁴ - 1 = 14 = 2 + 12; Cov = 0 off the diagonal.
    let level = exact_level_two(Mat::<f64>::identity(3, 3));
    for &s in &level.s {
        assert!((s * s - 14.0).abs() < 1e-12);
    }
    assert!((level.sigma - 3f64.sqrt()).abs() < 1e-12);
    assert_eq!(level.mu, vec![1.0; 3]);
}

#[test]
fn feature_error_is_zero_on_the_truth_and_two_off_it() {
    let w = Mat::<f64>::from_fn(6, 10, |i, j| if i == j && i < 3 { 2.0 + i as f64 } else { 0.0 });
    assert!(feature_error(&w, 3).unwrap() < 1e-12);
    let w = Mat::<f64>::from_fn(3, 10, |i, j| if j == i + 5 { 1.0 + i as f64 } else { 0.0 });
    assert!((feature_error(&w, 3).unwrap() - 2.0).abs() < 1e-12);
}

/// The analytic gradient of the batch loss against central differences, for every
/// parameter group of a 3-level net.
#[test]
fn gradients_match_finite_differences() {
    let mut rng = rng_from_u64(3);
    let target =
        HierarchicalTarget::new(5, 2, &[1.0, 0.5, 0.2], LevelMaps::Orthogonal, &mut rng).unwrap();
    let net = QuadNet::new(5, &[3, 3, 2], 4, &[0.7, 0.7, 0.7], &mut rng).unwrap();
    let mut net = net;
    for a in net.a.iter_mut() {
        for (i, v) in a.iter_mut().enumerate() {
            *v = 0.3 - 0.2 * i as f64;
        }
    }
    net.c[1][0] = 0.1;
    net.c[2][1] = -0.2;
    let (x, y) = target.sample(4, &mut rng);
    let phase = Phase { levels: 3, first_trained: 1 };
    let loss_at = |n: &QuadNet| {
        let mut n = n.clone();
        let out = n.forward(&x, 3);
        out.iter().zip(&y).map(|(o, t)| (o - t) * (o - t)).sum::<f64>() / 8.0
    };
    let eta = 1e-7;
    let mut stepped = net.clone();
    stepped.step(&x, &y, eta, phase);
    let h = 1e-6;
    // W entries of every level.
    for l in 0..3 {
        for (i, j) in [(0, 0), (1, 1), (0, 1)] {
            let mut plus = net.clone();
            plus.w[l][(i, j)] += h;
            let mut minus = net.clone();
            minus.w[l][(i, j)] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            let an = (net.w[l][(i, j)] - stepped.w[l][(i, j)]) / eta;
            assert!(
                (fd - an).abs() < 1e-4 * (1.0 + fd.abs()),
                "W{} ({i},{j}): {fd} vs {an}",
                l + 1
            );
        }
        let mut plus = net.clone();
        plus.a[l][1] += h;
        let mut minus = net.clone();
        minus.a[l][1] -= h;
        let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
        let an = (net.a[l][1] - stepped.a[l][1]) / eta;
        assert!((fd - an).abs() < 1e-4 * (1.0 + fd.abs()), "a{}: {fd} vs {an}", l + 1);
        if l > 0 {
            let mut plus = net.clone();
            plus.c[l][0] += h;
            let mut minus = net.clone();
            minus.c[l][0] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            let an = (net.c[l][0] - stepped.c[l][0]) / eta;
            assert!((fd - an).abs() < 1e-4 * (1.0 + fd.abs()), "c{}: {fd} vs {an}", l + 1);
        }
    }
}

#[test]
fn a_huge_step_is_reported_as_a_divergence_with_its_step() {
    let mut rng = rng_from_u64(5);
    let target =
        HierarchicalTarget::new(8, 2, &[1.0, 0.3], LevelMaps::Orthogonal, &mut rng).unwrap();
    let mut net = QuadNet::new(8, &[4, 4], 8, &[1.0, 1.0], &mut rng).unwrap();
    let phase = Phase { levels: 2, first_trained: 1 };
    let err = net.train(&target, phase, 1000, 50.0, &mut rng, |_, _| {}).unwrap_err();
    assert!(err.step >= 1 && err.step < 1000, "{err:?}");
}

// --- Claim `kernel-gap` (appended). ---

/// $\langle A, \mathrm{He}_4(x)\rangle$ of a dense symmetric 4-tensor on the first $k$
/// coordinates: each entry times the product of $\mathrm{He}_{\rm mult}(x_i)$ over its
/// distinct indices.
fn hermite_contraction(a: &[f64], k: usize, x: &[f64]) -> f64 {
    let he = |n: usize, t: f64| match n {
        1 => t,
        2 => t * t - 1.0,
        3 => t * t * t - 3.0 * t,
        _ => t.powi(4) - 6.0 * t * t + 3.0,
    };
    let mut sum = 0.0;
    for (flat, &v) in a.iter().enumerate() {
        if v == 0.0 {
            continue;
        }
        let idx = [flat / (k * k * k), flat / (k * k) % k, flat / k % k, flat % k];
        let mut term = v;
        for (p, &i) in idx.iter().enumerate() {
            if !idx[..p].contains(&i) {
                term *= he(idx.iter().filter(|&&j| j == i).count(), x[i]);
            }
        }
        sum += term;
    }
    sum
}

#[test]
fn the_traceless_projection_is_symmetric_traceless_and_has_the_closed_form_norm() {
    let mut rng = rng_from_u64(11);
    let (k, d) = (4, 7);
    let target =
        HierarchicalTarget::new(d, k, &[1.0, 0.3], LevelMaps::Orthogonal, &mut rng).unwrap();
    let a = target.quartic_tensor().unwrap();
    let a0 = traceless_projection(&a, k, d);
    let at = |i: usize, j: usize, l: usize, m: usize| a0[((i * d + j) * d + l) * d + m];
    let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    for i in 0..d {
        for j in 0..d {
            let trace: f64 = (0..d).map(|m| at(i, j, m, m)).sum();
            assert!(trace.abs() < 1e-12 * scale, "trace ({i},{j}) = {trace}");
            for l in 0..d {
                for m in 0..d {
                    let v = at(i, j, l, m);
                    for w in [at(j, i, l, m), at(l, j, i, m), at(m, j, l, i), at(i, l, j, m)] {
                        assert!((v - w).abs() < 1e-14 * scale, "not symmetric");
                    }
                }
            }
        }
    }
    // The input tensor itself is symmetric and not traceless (the projection does work).
    let t0: f64 = (0..k).map(|m| a[m * k + m]).sum();
    assert!(t0.abs() > 1e-3 * scale, "{t0}");
    let norm2: f64 = a0.iter().map(|v| v * v).sum();
    assert!((norm2 - traceless_norm2(&a, k, d)).abs() < 1e-12 * norm2, "{norm2}");
    // A_0 tends to A as d grows: the norms approach each other, from below.
    let a2: f64 = a.iter().map(|v| v * v).sum();
    let (n8, n64, n4096) =
        (traceless_norm2(&a, k, 8), traceless_norm2(&a, k, 64), traceless_norm2(&a, k, 4096));
    assert!(n8 < n64 && n64 < n4096 && n4096 < a2 && a2 - n4096 < 1e-2 * a2);
    // Not a depth-2 target: no quartic part is defined.
    let deep =
        HierarchicalTarget::new(d, 2, &[1.0, 0.3, 0.1], LevelMaps::Orthogonal, &mut rng).unwrap();
    assert!(deep.harmonic_energy().is_none());
}

/// Monte Carlo on 2^19 Gaussian inputs at d = 6 (k = 4, r = 1 to enlarge the degree-4
/// part): $E[f^* P_4] = E P_4^2 = 4!\lVert A\rVert^2$ (checks the tensor of the target) and
/// $E[f^* Y] = E Y^2 = e_4$ with $Y = \langle A_0, x^{\otimes 4}\rangle$ contracted from the
/// dense projection (checks the projection and the closed form), each within 4 standard
/// errors. Wrong-formula control: $4!\lVert A\rVert^2$ (no projection) must be more than 8
/// standard errors from the estimate of $E[f^* Y]$. Also $E f^{*2}$ against
/// [`HierarchicalTarget::variance`], and against $1 + r^2$ (wrong: the levels correlate).
/// For both kinds of level maps: the formulas use only unit rows of $V$.
#[test]
fn the_harmonic_energy_matches_monte_carlo_and_the_unprojected_norm_does_not() {
    for maps in [LevelMaps::Orthogonal, LevelMaps::Gaussian] {
        check_harmonic_energy(maps);
    }
}

fn check_harmonic_energy(maps: LevelMaps) {
    let mut rng = rng_from_u64(12);
    let (k, d) = (4, 6);
    let target = HierarchicalTarget::new(d, k, &[1.0, 1.0], maps, &mut rng).unwrap();
    let a = target.quartic_tensor().unwrap();
    let a0 = traceless_projection(&a, k, d);
    let e4 = target.harmonic_energy().unwrap();
    let full = 24.0 * a.iter().map(|v| v * v).sum::<f64>();
    let n = 1usize << 19;
    let (mut s_p, mut ss_p, mut s_y, mut ss_y) = (0.0, 0.0, 0.0, 0.0);
    let (mut s_f, mut ss_f) = (0.0, 0.0);
    let mut x = vec![0.0; d];
    let mut xx = vec![0.0; d * d];
    for _ in 0..n {
        draw_gaussians(&mut x, &mut rng);
        let f = target.value(&x);
        let p4 = hermite_contraction(&a, k, &x);
        for i in 0..d {
            for j in 0..d {
                xx[i * d + j] = x[i] * x[j];
            }
        }
        let mut y = 0.0;
        for (ij, row) in a0.chunks(d * d).enumerate() {
            y += xx[ij] * row.iter().zip(&xx).map(|(c, v)| c * v).sum::<f64>();
        }
        s_f += f * f;
        ss_f += f.powi(4);
        s_p += f * p4;
        ss_p += (f * p4).powi(2);
        s_y += f * y;
        ss_y += (f * y).powi(2);
    }
    let nf = n as f64;
    let stat = |s: f64, ss: f64| (s / nf, ((ss / nf - (s / nf).powi(2)) / nf).sqrt());
    let ((mp, se_p), (my, se_y)) = (stat(s_p, ss_p), stat(s_y, ss_y));
    let ((mf, se_f), var) = (stat(s_f, ss_f), target.variance().unwrap());
    assert!((mf - var).abs() < 4.0 * se_f, "{maps:?}: E f*² = {mf} ± {se_f}, Var f* = {var}");
    // The levels are correlated: 1 + r² is not the variance.
    assert!((mf - 2.0).abs() > 8.0 * se_f, "{maps:?}: E f*² = {mf} ± {se_f}");
    assert!((mp - full).abs() < 4.0 * se_p, "{maps:?}: E f*P4 = {mp} ± {se_p}, 4!|A|² = {full}");
    assert!((my - e4).abs() < 4.0 * se_y, "{maps:?}: E f*Y = {my} ± {se_y}, e4 = {e4}");
    assert!((my - full).abs() > 8.0 * se_y, "{maps:?}: E f*Y = {my} ± {se_y}, 4!|A|² = {full}");
}

/// The level-2 skip ([`QuadNet::with_level2_skip`]): the gradients of $W_1$ (which now also
/// reach level 2 through $S P_1$), $W_2$ and $S$ match central differences.
#[test]
fn skip_gradients_match_finite_differences() {
    let mut rng = rng_from_u64(5);
    let target =
        HierarchicalTarget::with_skip(5, 2, &[1.0, 0.5], LevelMaps::Gaussian, 1.0, &mut rng)
            .unwrap();
    let mut net = QuadNet::new(5, &[2, 3], 4, &[0.7, 0.7], &mut rng)
        .unwrap()
        .with_level2_skip(0.8, &mut rng)
        .unwrap();
    for a in net.a.iter_mut() {
        for (i, v) in a.iter_mut().enumerate() {
            *v = 0.3 - 0.2 * i as f64;
        }
    }
    net.c[1][0] = 0.1;
    let (x, y) = target.sample(4, &mut rng);
    let loss_at = |n: &QuadNet| {
        let mut n = n.clone();
        let out = n.forward(&x, 2);
        out.iter().zip(&y).map(|(o, t)| (o - t) * (o - t)).sum::<f64>() / 8.0
    };
    let eta = 1e-7;
    let mut stepped = net.clone();
    stepped.step(&x, &y, eta, Phase { levels: 2, first_trained: 1 });
    let h = 1e-6;
    let check = |fd: f64, an: f64, what: &str| {
        assert!((fd - an).abs() < 1e-4 * (1.0 + fd.abs()), "{what}: {fd} vs {an}");
    };
    for l in 0..2 {
        for (i, j) in [(0, 0), (1, 1), (0, 1)] {
            let (mut plus, mut minus) = (net.clone(), net.clone());
            plus.w[l][(i, j)] += h;
            minus.w[l][(i, j)] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            check(fd, (net.w[l][(i, j)] - stepped.w[l][(i, j)]) / eta, &format!("W{}", l + 1));
        }
    }
    for (i, j) in [(0, 0), (2, 1), (1, 0)] {
        let (mut plus, mut minus) = (net.clone(), net.clone());
        plus.skip.as_mut().unwrap().0[(i, j)] += h;
        minus.skip.as_mut().unwrap().0[(i, j)] -= h;
        let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
        let s0 = net.skip.as_ref().unwrap().0[(i, j)];
        let s1 = stepped.skip.as_ref().unwrap().0[(i, j)];
        check(fd, (s0 - s1) / eta, "S");
    }
    // Level 1 alone never touches S.
    let mut alone = net.clone();
    alone.step(&x, &y, 0.1, Phase { levels: 1, first_trained: 1 });
    assert_eq!(alone.skip.as_ref().unwrap().0, net.skip.as_ref().unwrap().0);
}

/// The skip target ([`HierarchicalTarget::with_skip`]): both terms centred with unit
/// variance (level 2 by its own Monte Carlo; here an independent 2^18-sample check, standard
/// error of the variance ≈ 0.01 for the degree-4 term, tolerance 0.05), graded unit-norm
/// level-1 weights, and a level 2 that is not a function of $G_1$ alone: flipping the sign
/// of $z_1$ leaves $G_1$ and changes $G_2$.
#[test]
fn the_skip_target_is_normalised_and_reads_signed_directions() {
    let mut rng = rng_from_u64(8);
    let t = HierarchicalTarget::with_skip(6, 4, &[1.0, 0.1], LevelMaps::Gaussian, 1.0, &mut rng)
        .unwrap();
    let beta = t.level1_weights();
    assert!((beta.iter().map(|b| b * b).sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(beta.windows(2).all(|w| w[0] > w[1]));
    let n = 1 << 18;
    let mut x = vec![0.0; 6];
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    for _ in 0..n {
        draw_gaussians(&mut x, &mut rng);
        for (l, t) in t.terms(&x).into_iter().enumerate() {
            m[l] += t;
            v[l] += t * t;
        }
    }
    for l in 0..2 {
        let mean = m[l] / n as f64;
        let var = v[l] / n as f64 - mean * mean;
        assert!(mean.abs() < 0.02, "level {}: mean {mean}", l + 1);
        assert!((var - 1.0).abs() < 0.05, "level {}: variance {var}", l + 1);
    }
    let x = [0.7, -0.3, 1.1, 0.4, 0.0, 0.0];
    let mut flipped = x;
    flipped[0] = -0.7;
    assert_eq!(t.level_features(&x, 1), t.level_features(&flipped, 1));
    let (a, b) = (t.level_features(&x, 2), t.level_features(&flipped, 2));
    assert!(a.iter().zip(&b).any(|(p, q)| (p - q).abs() > 1e-3));
}

/// Every entry of every $W_l$, level by level, column by column.
fn all_weights(n: &QuadNet) -> Vec<f64> {
    n.w.iter().flat_map(|w| (0..w.ncols()).flat_map(move |j| w.col_as_slice(j).to_vec())).collect()
}

/// The update cap moves the weights by at most u a step, only when the step would be longer,
/// and a run without it is plain SGD (the quick snapshots hold its bits).
#[test]
fn the_update_cap_bounds_each_weight_step() {
    let mut rng = rng_from_u64(3);
    let target = HierarchicalTarget::new(8, 2, &[1.0, 0.3], LevelMaps::Gaussian, &mut rng).unwrap();
    let (x, y) = target.sample(16, &mut rng);
    let mut net = QuadNet::new(8, &[4, 4], 16, &[0.5, 1.0], &mut rng).unwrap();
    let phase = Phase { levels: 2, first_trained: 1 };
    // The readouts start at 0, so the first step moves only them; measure the second.
    net.step(&x, &y, 0.1, phase);
    let moved = |mut n: QuadNet, eta: f64| {
        let before = all_weights(&n);
        n.step(&x, &y, eta, phase);
        let after = all_weights(&n);
        before.iter().zip(&after).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt()
    };
    let free = moved(net.clone(), 0.1);
    assert!(free > 1e-6);
    let capped = moved(net.clone().with_update_clip(free / 4.0), 0.1);
    assert!((capped - free / 4.0).abs() < 1e-9 * free, "{capped} vs {}", free / 4.0);
    let loose = moved(net.clone().with_update_clip(free * 4.0), 0.1);
    assert_eq!(loose.to_bits(), free.to_bits(), "a cap above the step changes nothing");
}
