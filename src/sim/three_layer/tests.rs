//! Unit tests of the reference's three-layer network.

use super::*;
use crate::rng::{rng_from_u64, Rng};
use faer::MatRef;
use rand::RngExt;

fn small() -> ThreeLayerConfig {
    ThreeLayerConfig {
        d: 6,
        p1: 9,
        p2: 5,
        max_iter1: 7,
        max_iter2: 14,
        ..ThreeLayerConfig::reduced_dc()
    }
}

fn data(n: usize, d: usize, rng: &mut Rng) -> (Mat<f64>, Vec<f64>) {
    let x = gaussian_rows(n, d, rng);
    let y = (0..n).map(|i| (x[(i, 0)] * x[(i, 1)]).tanh() + 0.3).collect();
    (x, y)
}

fn loss_at(net: &ThreeLayerNet, x: MatRef<'_, f64>, y: &[f64]) -> f64 {
    let mut probe = net.clone();
    probe.batch_gradients(x, y).0
}

#[test]
fn batch_gradients_match_central_finite_differences() {
    let mut rng = rng_from_u64(3);
    let mut net = ThreeLayerNet::init(small(), &mut rng);
    // Larger second and third layers than the init, so that ReLU kinks are rare and the
    // gradient of W1 is not tiny.
    net.w2.col_iter_mut().for_each(|c| c.iter_mut().for_each(|v| *v *= 5.0));
    net.w3.iter_mut().for_each(|v| *v *= 5.0);
    let (x, y) = data(40, 6, &mut rng);
    let (_, g1, g2) = net.batch_gradients(x.as_ref(), &y);
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for (i, j) in [(0, 0), (3, 1), (8, 5), (4, 2)] {
        let mut plus = net.clone();
        plus.w1[(i, j)] += h;
        let mut minus = net.clone();
        minus.w1[(i, j)] -= h;
        let fd = (loss_at(&plus, x.as_ref(), &y) - loss_at(&minus, x.as_ref(), &y)) / (2.0 * h);
        worst = worst.max((fd - g1[(i, j)]).abs() / (1e-6 + fd.abs()));
    }
    for (i, j) in [(0, 0), (2, 7), (4, 3)] {
        let mut plus = net.clone();
        plus.w2[(i, j)] += h;
        let mut minus = net.clone();
        minus.w2[(i, j)] -= h;
        let fd = (loss_at(&plus, x.as_ref(), &y) - loss_at(&minus, x.as_ref(), &y)) / (2.0 * h);
        worst = worst.max((fd - g2[(i, j)]).abs() / (1e-6 + fd.abs()));
    }
    assert!(worst < 1e-5, "worst relative error {worst}");
}

#[test]
fn the_phase_two_step_divides_the_gradient_by_the_full_n_not_the_batch() {
    // Twenty copies of one sample: every minibatch of int(0.5 * 20) = 10 rows has the same
    // batch-averaged gradient g2, and the reference's step divides the batch's sum by
    // n = 20, so W2 moves by 4 lr sqrt(p2)/(eps p1) * g2 / 2.
    let mut rng = rng_from_u64(5);
    let cfg = ThreeLayerConfig { fraction_batch: 0.5, ..small() };
    let net = ThreeLayerNet::init(cfg, &mut rng);
    let row = gaussian_rows(1, 6, &mut rng);
    let x = Mat::from_fn(20, 6, |_, j| row[(0, j)]);
    let y = vec![0.7; 20];
    let mut stepped = net.clone();
    let h1t = stepped.hidden1(x.as_ref());
    let h1 = h1t.transpose();
    let (_, _, g2) = net.clone().batch_gradients(x.as_ref(), &y);
    stepped.layer2_step(h1, &y, &mut rng);
    let c = stepped.cfg;
    let step = 4.0 * c.lr * (c.p2 as f64).sqrt() / (c.eps_init * c.p1 as f64);
    assert!(g2.norm_max() > 1e-3, "a gradient to see");
    let moved = (&net.w2 - &stepped.w2) - &g2 * faer::Scale(step / 2.0);
    assert!(moved.norm_max() < 1e-12, "{}", moved.norm_max());
}

#[test]
fn the_phase_one_step_is_the_batch_averaged_gradient_times_sqrt_p1_over_eps_squared() {
    let mut rng = rng_from_u64(6);
    let cfg = ThreeLayerConfig { fraction_batch: 1.0, ..small() };
    let net = ThreeLayerNet::init(cfg, &mut rng);
    let (x, y) = data(20, 6, &mut rng);
    let (_, g1, _) = net.clone().batch_gradients(x.as_ref(), &y);
    let mut stepped = net.clone();
    stepped.layer1_step(x.as_ref(), &y, &mut rng);
    let step = (cfg.p1 as f64).sqrt() / (cfg.eps_init * cfg.eps_init);
    let moved = (&net.w1 - &stepped.w1) - &g1 * faer::Scale(step);
    assert!(moved.norm_max() < 1e-10, "{}", moved.norm_max());
}

#[test]
fn the_readout_solves_the_ridge_normal_equations() {
    let mut rng = rng_from_u64(8);
    let mut net = ThreeLayerNet::init(small(), &mut rng);
    let (x, y) = data(50, 6, &mut rng);
    let h1t = net.hidden1(x.as_ref());
    net.ridge_readout(h1t.transpose(), &y).unwrap();
    let h2 = net.hidden2(h1t.transpose());
    // Gradient of |H2 w - y|^2 + lambda n |w|^2 vanishes at w3.
    for j in 0..net.cfg.p2 {
        let col = h2.col_as_slice(j);
        let resid: f64 = (0..50)
            .map(|i| {
                let f: f64 = (0..net.cfg.p2).map(|k| h2[(i, k)] * net.w3[k]).sum();
                col[i] * (f - y[i])
            })
            .sum();
        let g = resid + net.cfg.lambda_ridge * 50.0 * net.w3[j];
        assert!(g.abs() < 1e-10, "unit {j}: {g}");
    }
}

#[test]
fn training_is_a_pure_function_of_the_stream_and_has_a_golden_value() {
    let run = || {
        let mut rng = rng_from_u64(11);
        let (x, y) = data(120, 6, &mut rng);
        let mut net = ThreeLayerNet::init(small(), &mut rng);
        net.train(x.as_ref(), &y, &mut rng).unwrap();
        let (xt, yt) = data(200, 6, &mut rng);
        let mse =
            net.predict(xt.as_ref()).iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>()
                / 200.0;
        (mse, net.overlap(2))
    };
    let (a, b) = (run(), run());
    assert_eq!(a.0.to_bits(), b.0.to_bits());
    assert_eq!(a.1.to_bits(), b.1.to_bits());
    let golden = (0.3646487681451728, 0.6339281363152044);
    assert!((a.0 - golden.0).abs() < 1e-9 && (a.1 - golden.1).abs() < 1e-9, "{a:?}");
}

#[test]
fn the_overlap_of_axis_aligned_rows_is_one_and_of_orthogonal_rows_zero() {
    let mut rng = rng_from_u64(1);
    let mut net = ThreeLayerNet::init(small(), &mut rng);
    net.w1 = Mat::from_fn(9, 6, |i, j| if j == i % 2 { 1.0 + i as f64 } else { 0.0 });
    assert!((net.overlap(2) - 1.0).abs() < 1e-15);
    net.w1 = Mat::from_fn(9, 6, |i, j| if j == 2 + i % 4 { 1.0 } else { 0.0 });
    assert_eq!(net.overlap(2), 0.0);
}

#[test]
fn the_f32_network_starts_from_the_f64_draws_rounded() {
    let a = ThreeLayerNet::<f64>::init(small(), &mut rng_from_u64(4));
    let b = ThreeLayerNet::<f32>::init(small(), &mut rng_from_u64(4));
    for (i, j) in [(0, 0), (3, 5), (8, 2)] {
        assert_eq!(b.w1[(i, j)], a.w1[(i, j)] as f32);
    }
    assert_eq!(b.w2[(4, 8)], a.w2[(4, 8)] as f32);
    assert_eq!(b.b1[7], a.b1[7] as f32);
}

/// Both precisions draw the same minibatches (the stream does not depend on `T`), so they
/// follow the same trajectory up to rounding: on this small run the test errors and
/// overlaps agree to 1e-4 relative (f32's epsilon is 1.2e-7; 1e-4 leaves room for the
/// growth of rounding over 30 steps, not for a different algorithm).
#[test]
fn f32_and_f64_training_agree_up_to_rounding() {
    fn run<T: NetFloat>() -> (f64, f64) {
        let mut rng = rng_from_u64(11);
        let (x, y) = data(120, 6, &mut rng);
        let mut net = ThreeLayerNet::<T>::init(small(), &mut rng);
        net.train(x.as_ref(), &y, &mut rng).unwrap();
        let (xt, yt) = data(200, 6, &mut rng);
        let xt = Mat::<T>::from_fn(200, 6, |i, j| T::of(xt[(i, j)]));
        let mse =
            net.predict(xt.as_ref()).iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>()
                / 200.0;
        (mse, net.overlap(2))
    }
    let (a, b) = (run::<f64>(), run::<f32>());
    assert_ne!(a.0.to_bits(), b.0.to_bits(), "f32 must actually compute in f32");
    assert!(((a.0 - b.0) / a.0).abs() < 1e-4, "test MSE f64 {} f32 {}", a.0, b.0);
    assert!(((a.1 - b.1) / a.1).abs() < 1e-4, "M_W f64 {} f32 {}", a.1, b.1);
}

#[test]
fn an_observer_reads_the_training_without_changing_a_bit_of_it() {
    let (x, y) = data(50, 6, &mut rng_from_u64(11));
    let mut plain = ThreeLayerNet::<f64>::init(small(), &mut rng_from_u64(12));
    let mut watched = plain.clone();
    let (mut rng_plain, mut rng_watched) = (rng_from_u64(13), rng_from_u64(13));
    let a = plain.train(x.as_ref(), &y, &mut rng_plain).unwrap();
    let mut seen = Vec::new();
    let b = watched
        .train_observed(x.as_ref(), &y, &mut rng_watched, &mut |net, at| {
            seen.push((at, net.overlap(2)));
        })
        .unwrap();
    assert_eq!(a, b);
    assert_eq!((plain.w1, plain.w2, plain.w3), (watched.w1, watched.w2, watched.w3));
    assert_eq!(rng_plain.random::<u64>(), rng_watched.random::<u64>());
    // Before the first step, then every step of both phases: 10 + 20 steps of small().
    let (s1, s2) = (small().steps(7), small().steps(14));
    assert_eq!(seen.len(), 1 + s1 + s2);
    assert_eq!(seen[0].0, TrainingStep { phase: 1, step: 0 });
    assert_eq!(seen[s1].0, TrainingStep { phase: 1, step: s1 });
    assert_eq!(seen[s1 + s2].0, TrainingStep { phase: 2, step: s2 });
}

#[test]
fn the_overlap_trajectory_records_every_phase_end_and_stays_in_the_unit_interval() {
    use crate::sim::sight::{feature_coefficients, FeatureNormalisation, Link, SightTarget};
    let mut rng = rng_from_u64(21);
    let feature = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
    let target = SightTarget::draw(6, 2, feature, Link::Tanh { scale: 3.0 }, &mut rng);
    let t = sight_overlap_trajectory::<f64>(small(), &target, 40, 100, 4, &mut rng).unwrap();
    let (s1, s2) = (small().steps(7), small().steps(14));
    assert_eq!(t.steps1, s1);
    let mut want: Vec<usize> = (0..=s1).filter(|s| s % 4 == 0 || *s == s1).collect();
    want.extend((1..=s2).filter(|s| s % 4 == 0 || *s == s2).map(|s| s1 + s));
    assert_eq!(t.times, want);
    for m in t.first_layer.iter().chain(&t.second_layer) {
        assert!((0.0..=1.0).contains(m), "{m}");
    }
    // W1 is frozen in phase 2: M_W does not move there.
    let frozen = t.times.iter().position(|&s| s == s1).unwrap();
    assert!(t.first_layer[frozen..].iter().all(|&m| m == t.first_layer[frozen]));
    assert!(sight_overlap_trajectory::<f64>(small(), &target, 40, 100, 0, &mut rng).is_err());
}

#[test]
fn a_unit_whose_pre_activation_is_the_feature_has_overlap_one() {
    // p1 = d, W1 = I, b1 = large: relu(x + b1) = x + b1 exactly; W2's unit 0 reads x_0 and
    // b2 cancels the bias, so h_{2,0}(x) = x_0 = h*(x) for the probe's feature h* = x_0.
    let cfg = ThreeLayerConfig { d: 3, p1: 3, p2: 1, ..small() };
    let mut net = ThreeLayerNet::<f64>::init(cfg, &mut rng_from_u64(5));
    net.w1 = Mat::from_fn(3, 3, |i, j| if i == j { 1.0 } else { 0.0 });
    net.b1 = vec![100.0; 3];
    net.w2 = Mat::from_fn(1, 3, |_, j| if j == 0 { 1.0 } else { 0.0 });
    net.b2 = vec![-100.0];
    let x = gaussian_rows(64, 3, &mut rng_from_u64(6));
    let h_star: Vec<f64> = (0..64).map(|i| x[(i, 0)]).collect();
    let m = feature_overlap(&net, x.as_ref(), &h_star);
    assert!((m - 1.0).abs() < 1e-12, "{m}");
}

#[test]
fn joint_gradients_match_central_finite_differences() {
    let mut rng = rng_from_u64(11);
    let mut net = ThreeLayerNet::init(small(), &mut rng);
    net.w2.col_iter_mut().for_each(|c| c.iter_mut().for_each(|v| *v *= 5.0));
    net.w3.iter_mut().for_each(|v| *v *= 5.0);
    let (x, y) = data(40, 6, &mut rng);
    // With n_full = the batch, every gradient is the plain one of (1/2B) sum e^2.
    let (_, g1, g2, g3) = net.joint_gradients(x.as_ref(), &y, 40);
    let h = 1e-6;
    let fd = |shift: &dyn Fn(&mut ThreeLayerNet, f64)| {
        let (mut plus, mut minus) = (net.clone(), net.clone());
        shift(&mut plus, h);
        shift(&mut minus, -h);
        (loss_at(&plus, x.as_ref(), &y) - loss_at(&minus, x.as_ref(), &y)) / (2.0 * h)
    };
    let mut worst: f64 = 0.0;
    let mut check = |fd: f64, g: f64| worst = worst.max((fd - g).abs() / (1e-6 + fd.abs()));
    for (i, j) in [(0, 0), (3, 1), (8, 5), (4, 2)] {
        check(fd(&|n, s| n.w1[(i, j)] += s), g1[(i, j)]);
    }
    for (i, j) in [(0, 0), (2, 7), (4, 3)] {
        check(fd(&|n, s| n.w2[(i, j)] += s), g2[(i, j)]);
    }
    for j in [0, 2, 4] {
        check(fd(&|n, s| n.w3[j] += s), g3[j]);
    }
    assert!(worst < 1e-5, "worst relative error {worst}");
    // The full-n quirk: W2's and w3's gradients scale with batch / n_full, W1's does not.
    let (_, h1, h2, h3) = net.joint_gradients(x.as_ref(), &y, 80);
    assert_eq!(h1, g1);
    assert!((&h2 * faer::Scale(2.0) - &g2).norm_max() < 1e-15);
    assert!(h3.iter().zip(&g3).all(|(a, b)| (2.0 * a - b).abs() < 1e-15));
}

#[test]
fn a_joint_step_moves_every_layer_by_the_references_rule() {
    // Twenty copies of one sample: every minibatch of 10 rows has the batch-averaged
    // gradients of the whole set; W2's and w3's are divided by n = 20, i.e. halved.
    let mut rng = rng_from_u64(12);
    let cfg = ThreeLayerConfig { fraction_batch: 0.5, reg2: 0.01, ..small() };
    let net = ThreeLayerNet::init(cfg, &mut rng);
    let row = gaussian_rows(1, 6, &mut rng);
    let x = Mat::from_fn(20, 6, |_, j| row[(0, j)]);
    let y = vec![0.7; 20];
    // The sum over a batch of 10 divided by 20 = the sum over all 20 divided by 40.
    let (_, g1, g2, g3) = net.clone().joint_gradients(x.as_ref(), &y, 40);
    let mut stepped = net.clone();
    let xt = Mat::from_fn(6, 20, |j, i| x[(i, j)]);
    let mut gw3 = vec![0.0; cfg.p2];
    stepped.joint_step(xt.transpose(), &y, &mut gw3, &mut rng);
    let c = JOINT_LR_FACTOR * cfg.lr;
    let s1 = c * (cfg.p1 as f64).sqrt() / (cfg.eps_init * cfg.eps_init);
    let s2 = c * (cfg.p2 as f64).sqrt() / (cfg.eps_init * cfg.p1 as f64);
    let r2 = c * cfg.reg2 / (cfg.d as f64).powf(1.5);
    let s3 = c / (cfg.eps_init * cfg.p2 as f64);
    assert!(g1.norm_max() > 1e-4 && g2.norm_max() > 1e-4, "gradients to see");
    let d1 = (&net.w1 - &stepped.w1) - &g1 * faer::Scale(s1);
    let d2 = (&net.w2 - &stepped.w2) - (&g2 * faer::Scale(s2) + &net.w2 * faer::Scale(r2));
    assert!(d1.norm_max() < 1e-12 && d2.norm_max() < 1e-12, "{} {}", d1.norm_max(), d2.norm_max());
    for ((&before, &after), &g) in net.w3.iter().zip(&stepped.w3).zip(&g3) {
        // r3 is the config's lambda_ridge (1 in small()), as the reference passes it.
        let r3 = c * cfg.lambda_ridge * before;
        assert!((before - after - s3 * g - r3).abs() < 1e-12);
    }
}

#[test]
fn joint_training_is_the_same_on_any_thread() {
    let run = || {
        let mut rng = rng_from_u64(13);
        let (x, y) = data(60, 6, &mut rng);
        let cfg = ThreeLayerConfig::joint_example(6, 9, 5, 20);
        let mut net = ThreeLayerNet::<f32>::init(cfg, &mut rng);
        let loss = net.train_joint(x.as_ref(), &y, &mut rng).unwrap();
        let bits: Vec<u32> = net
            .w1
            .col_iter()
            .flat_map(|c| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>())
            .chain(net.w3.iter().map(|v| v.to_bits()))
            .collect();
        (loss.to_bits(), bits)
    };
    let here = run();
    let there: Vec<_> =
        (0..2).map(|_| std::thread::spawn(run)).map(|h| h.join().unwrap()).collect();
    assert!(there.iter().all(|t| *t == here));
    assert!(here.0 != 0);
}
