//! Fig. 2 (issue 25, part 1; `measure = "fig2"`): on one target and one set of draws per trial,
//! the test errors of kernel ridge regression with the reference's quadratic kernel, the
//! reference's two-layer net trained by GD, and the reference's three-layer net trained
//! layer-wise and jointly, at $n = \lfloor d^\kappa\rfloor$; the judged margin of the ordering
//! "three-layer (layer-wise) below two-layer below the kernel", and the figure of the four
//! errors against $\kappa$ with the theory's plateaus, the onset $1 + \varepsilon$ and the
//! kernel's interpolation peak.

use super::params::{Fig2Design, Precision};
use super::end_to_end::{reduced_net_config, samples_at};
use super::{hidden_dimension, sig3, PANEL_RUNS};
use crate::error::Violation;
use crate::learn::{least_squares, ridge_fit};
use crate::rng::Rng;
use crate::sim::sight::{FeatureNormalisation, SightTarget};
use crate::sim::three_layer::{NetFloat, SightData, ThreeLayerConfig, ThreeLayerNet};
use crate::sim::two_layer_relu::{TwoLayerConfig, TwoLayerReluNet};
use crate::stats;
use crate::theorem::{Observation, Panel};
use faer::{Mat, MatRef};

pub(super) const H18: &str = "(H18) Fig. 2: the target is eq. 11 (degrees {2, 3}, factorial \
     normalisation, tanh(3 h)), ε = 1/2, and d a perfect square, 16 ≤ d ≤ 144; sizes 100 κ in \
     [100, 250]; widths 1 ≤ p1 ≤ 8192, 1 ≤ p2 ≤ 1024, 1 ≤ p ≤ 4096; 1 ≤ max_iter ≤ 20 000; \
     kernel ridge λ > 0 (λ = 0 is singular at the interpolation peak); 1000 to 1e5 test \
     points; at most 5e7 entries in the kernel's feature matrix n × C(d+2, 2)";

/// The quadratic kernel's features: $\varphi(x)\cdot\varphi(x') = (x\cdot x')^2 + x\cdot x' +
/// 1$ (the reference's `quadratic_kernel`), i.e. $x_i^2$, $\sqrt2\,x_i x_j$ ($i < j$), $x_i$
/// and 1: $C(d+2, 2)$ columns.
pub fn quadratic_kernel_features(x: MatRef<'_, f64>) -> Mat<f64> {
    let (n, d) = (x.nrows(), x.ncols());
    let dim = (d + 2) * (d + 1) / 2;
    let mut phi = Mat::<f64>::zeros(n, dim);
    let mut c = 0;
    for i in 0..d {
        for j in i..d {
            let s = if i == j { 1.0 } else { std::f64::consts::SQRT_2 };
            for r in 0..n {
                phi[(r, c)] = s * x[(r, i)] * x[(r, j)];
            }
            c += 1;
        }
    }
    for i in 0..d {
        for r in 0..n {
            phi[(r, c)] = x[(r, i)];
        }
        c += 1;
    }
    for r in 0..n {
        phi[(r, c)] = 1.0;
    }
    phi
}

/// The interpolation peak of the quadratic kernel: $n = C(d+2, 2)$, the dimension of its
/// feature space (the polynomials of degree $\le 2$ in $d$ variables).
pub fn kernel_peak(d: u64) -> f64 {
    ((d + 2) * (d + 1) / 2) as f64
}

/// The four test errors of one set of draws: kernel, two-layer, three-layer layer-wise,
/// three-layer joint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fig2Errors {
    /// KRR with the quadratic kernel, ridge $\lambda n I$.
    pub kernel: f64,
    /// The reference's two-layer net (GD on $W_1$, ridge readout).
    pub two_layer: f64,
    /// The reference's three-layer net trained layer-wise.
    pub layer_wise: f64,
    /// The reference's three-layer net trained jointly.
    pub joint: f64,
}

impl Fig2Errors {
    /// The judged margin: $\min\big(\ln(e_{2L}/e_{3L}), \ln(e_K/e_{2L})\big)$, $\ge 0$ iff
    /// three-layer (layer-wise) $\le$ two-layer $\le$ kernel.
    pub fn margin(&self) -> f64 {
        (self.two_layer / self.layer_wise).ln().min((self.kernel / self.two_layer).ln())
    }
}

/// The design's three-layer configuration (layer-wise; the joint net uses the same widths and
/// `max_iter[1]` with the reference's joint regularisations).
fn layer_wise_config(f: &Fig2Design) -> ThreeLayerConfig {
    reduced_net_config(f.dimension, f.widths, f.max_iter)
}

/// The four learners on one set of draws (the target, then [`SightData`]'s test and training
/// points; then the layer-wise net's initialisation and training, the joint net's, the
/// two-layer net's, each on the same data; the kernel draws nothing), in the float type `T`
/// for the networks (the kernel in f64).
fn four_errors<T: NetFloat>(
    f: &Fig2Design,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<Fig2Errors, String> {
    let d = f.dimension as usize;
    let data = SightData::draw(target, d, n, f.test_points as usize, rng);
    let (x, y) = (data.x.as_ref(), &data.y);
    let cfg = layer_wise_config(f);
    let layer_wise = {
        let mut net = ThreeLayerNet::<T>::init(cfg, rng);
        net.train(x, y, rng).map_err(|e| format!("layer-wise net at n = {n}: {e}"))?;
        data.test_error(|xt| net.predict(xt))?.0
    };
    let joint = {
        let jc = ThreeLayerConfig::joint_example(d, cfg.p1, cfg.p2, f.max_iter[1]);
        let mut net = ThreeLayerNet::<T>::init(jc, rng);
        net.train_joint(x, y, rng).map_err(|e| format!("joint net at n = {n}: {e}"))?;
        data.test_error(|xt| net.predict(xt))?.0
    };
    let two_layer = {
        let tc = TwoLayerConfig::reference(d, f.two_layer_width, f.max_iter[1]);
        let mut net = TwoLayerReluNet::<T>::init(tc, rng);
        net.train(x, y, rng).map_err(|e| format!("two-layer net at n = {n}: {e}"))?;
        data.test_error(|xt| net.predict(xt))?.0
    };
    let kernel = {
        let phi = quadratic_kernel_features(x);
        let (b, _) = ridge_fit(phi.as_ref(), y, f.kernel_ridge)
            .map_err(|e| format!("kernel at n = {n}: {e}"))?;
        drop(phi);
        data.test_error::<f64>(|xt| {
            let pt = quadratic_kernel_features(xt);
            least_squares::predict(pt.as_ref(), &b).unwrap_or_else(|_| vec![f64::NAN; xt.nrows()])
        })?
        .0
    };
    Ok(Fig2Errors { kernel, two_layer, layer_wise, joint })
}

/// One set of draws at $100\kappa$ in the design's precision.
///
/// # Errors
/// A diverged network, a failed readout or kernel solve, a non-finite test error.
pub fn fig2_errors(
    f: &Fig2Design,
    kappa_hundredths: u64,
    rng: &mut Rng,
) -> Result<Fig2Errors, String> {
    let s = f.sight();
    let d = f.dimension as usize;
    let d_eff = hidden_dimension(s.epsilon, f.dimension).ok_or("d_eff is not an integer")?;
    let target = s.target(d, d_eff, rng);
    let n = samples_at(f.dimension, kappa_hundredths);
    errors_on(f, &target, n, rng)
}

/// One set of draws (the target's signs, then the four learners) on $n$ training points
/// given directly, instead of $\lfloor d^\kappa\rfloor$ (the reference comparison of
/// `examples/fig2_reference.rs`, at the reference's own $n$).
///
/// # Errors
/// A diverged network, a failed readout or kernel solve, a non-finite test error.
pub fn fig2_errors_n(f: &Fig2Design, n: usize, rng: &mut Rng) -> Result<Fig2Errors, String> {
    let s = f.sight();
    let d = f.dimension as usize;
    let d_eff = hidden_dimension(s.epsilon, f.dimension).ok_or("d_eff is not an integer")?;
    let target = s.target(d, d_eff, rng);
    errors_on(f, &target, n, rng)
}

fn errors_on(
    f: &Fig2Design,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<Fig2Errors, String> {
    match f.precision {
        Precision::F64 => four_errors::<f64>(f, target, n, rng),
        Precision::F32 => four_errors::<f32>(f, target, n, rng),
    }
}

/// One trial: the margin ([`Fig2Errors::margin`]), annotated with the four test errors
/// (kernel, two-layer, layer-wise, joint) as the claim's exploratory record.
pub(super) fn fig2_trial(f: &Fig2Design, kappa_hundredths: u64, rng: &mut Rng) -> Observation {
    match fig2_errors(f, kappa_hundredths, rng) {
        Ok(e) => Observation::annotated(
            Observation::Value(e.margin()),
            vec![e.kernel, e.two_layer, e.layer_wise, e.joint],
        ),
        Err(why) => Observation::Failed(why),
    }
}

/// Draws of $z = W^* x$ for the plateaus of the figure.
const PLATEAU_SAMPLES: usize = 20_000;

/// The theory's lines of Fig. 2 for this target: $\mathbb{E}\, y^2$ (the zero predictor's
/// error) and the residuals of the best polynomial of degree $\le 2$ (the quadratic kernel's
/// limit), $\le 3$ and $\le 4$ in $z = W^* x$ (the two-layer net's plateau and quartic line;
/// `docs/theory/depth-advantage.md`, "Plateaus"), by least squares on
/// [`PLATEAU_SAMPLES`] draws.
pub fn fig2_plateaus(target: &SightTarget, rng: &mut Rng) -> Result<[f64; 4], String> {
    let (m, rows) = (target.d_eff, PLATEAU_SAMPLES);
    let mut z = vec![0.0; m * rows];
    crate::numerics::draw_gaussians(&mut z, rng);
    let y: Vec<f64> = z.chunks_exact(m).map(|zi| target.value(zi)).collect();
    let ey2 = y.iter().map(|v| v * v).sum::<f64>() / rows as f64;
    let mut out = [ey2, 0.0, 0.0, 0.0];
    for (slot, degree) in out.iter_mut().skip(1).zip(2u32..=4) {
        let basis = super::gap::monomials(m, degree);
        let features = super::gap::hermite_features(&z, rows, m, degree, &basis);
        let (b, _) = ridge_fit(features.as_ref(), &y, 1e-8).map_err(|e| e.to_string())?;
        let fit = least_squares::predict(features.as_ref(), &b).map_err(|e| e.to_string())?;
        *slot = fit.iter().zip(&y).map(|(f, t)| (f - t) * (f - t)).sum::<f64>() / rows as f64;
    }
    Ok(out)
}

/// The figure's grid of $100\kappa$.
const FIG2_PANEL_KAPPAS: [u64; 12] = [100, 120, 140, 150, 160, 170, 180, 185, 190, 200, 210, 220];

/// The size whose figure is drawn (the largest of the judged ones).
pub(super) const FIG2_PANEL_SIZE: u64 = 220;

/// Fig. 2 (`--plot`, at size 220): the four learners' median test errors against $\kappa$
/// ([`PANEL_RUNS`] runs, one set of draws per run and $\kappa$, the judged trial's order), with
/// $\mathbb{E}\, y^2$, the quadratic-kernel limit, the two-layer plateau and quartic line
/// ([`fig2_plateaus`], on the first run's target), the predicted onset $1 + \varepsilon$ and
/// the kernel's interpolation peak $\kappa = \log C(d+2, 2)/\log d$.
pub(super) fn fig2_panel(f: &Fig2Design, stream: &dyn Fn(u64) -> Rng) -> Result<Panel, String> {
    let s = f.sight();
    let d = f.dimension;
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d_eff is not an integer")?;
    let kappas = FIG2_PANEL_KAPPAS.map(|k| k as f64 / 100.0);
    let mut errs: Vec<[Vec<f64>; 4]> = vec![Default::default(); kappas.len()];
    let mut failed = 0;
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        for (i, &size) in FIG2_PANEL_KAPPAS.iter().enumerate() {
            match fig2_errors(f, size, &mut rng) {
                Ok(e) => {
                    for (v, x) in errs[i].iter_mut().zip([e.kernel, e.two_layer, e.layer_wise, e.joint]) {
                        v.push(x);
                    }
                }
                Err(_) => failed += 1,
            }
        }
    }
    let mut plateau_rng = stream(PANEL_RUNS);
    let target = s.target(d as usize, d_eff, &mut plateau_rng);
    let [ey2, e2, e3, e4] = fig2_plateaus(&target, &mut plateau_rng)?;
    let median_curve = |who: usize| -> Vec<(f64, f64)> {
        kappas
            .iter()
            .zip(&errs)
            .filter(|(_, e)| !e[who].is_empty())
            .map(|(&k, e)| (k, stats::median(&e[who])))
            .collect()
    };
    let (lo, hi) = (kappas[0], kappas[kappas.len() - 1]);
    let flat = |v: f64| vec![(lo, v), (hi, v)];
    let onset = 1.0 + s.epsilon;
    let peak = kernel_peak(d).ln() / (d as f64).ln();
    let top = ey2.max(1.0);
    let failed = if failed == 0 { String::new() } else { format!(" ({failed} runs failed)") };
    Ok(Panel {
        name: "fig2".into(),
        title: format!(
            "Fig. 2 at d = {d} (d_eff = {d_eff}; p1 = {}, p2 = {}, p = {}): median test error of \
             {PANEL_RUNS} runs against κ (dots: the layer-wise three-layer net){failed}",
            f.widths[0], f.widths[1], f.two_layer_width
        ),
        x_label: "κ = log n / log d".into(),
        y_label: "test MSE".into(),
        log_x: false,
        log_y: false,
        points: Vec::new(),
        medians: median_curve(2),
        curves: vec![
            ("kernel (x·x')² + x·x' + 1, ridge λn".into(), median_curve(0)),
            ("two-layer net, GD + ridge readout".into(), median_curve(1)),
            ("three-layer joint".into(), median_curve(3)),
            (format!("E y² = {}", sig3(ey2)), flat(ey2)),
            (format!("quadratic-kernel limit (deg ≤ 2 in W*x) {}", sig3(e2)), flat(e2)),
            (format!("two-layer plateau (deg ≤ 3) {}", sig3(e3)), flat(e3)),
            (format!("two-layer quartic line (deg ≤ 4) {}", sig3(e4)), flat(e4)),
            (format!("predicted onset κ = 1 + ε = {}", sig3(onset)), vec![(onset, 0.0), (onset, top)]),
            (format!("kernel peak n = C(d+2, 2), κ = {}", sig3(peak)), vec![(peak, 0.0), (peak, top)]),
        ],
    })
}

/// (H18) for a Fig. 2 design on `sizes` (100 κ).
pub(super) fn fig2_violations(f: &Fig2Design, sizes: &[u64], out: &mut Vec<Violation>) {
    let eq11 = f.epsilon == 0.5
        && f.feature_degrees == [2, 3]
        && f.normalisation == FeatureNormalisation::Factorial
        && f.link_scale == 3.0;
    let square = hidden_dimension(0.5, f.dimension).is_some();
    if !eq11 || !square || !(16..=144).contains(&f.dimension) {
        out.push(Violation::new(
            "params.dimension",
            H18,
            format!(
                "d = {}, ε = {}, degrees {:?}, scale {}",
                f.dimension, f.epsilon, f.feature_degrees, f.link_scale
            ),
        ));
    }
    if let Some(&s) = sizes.iter().find(|&&s| !(100..=250).contains(&s)) {
        out.push(Violation::new("sizes", H18, format!("size 100 κ = {s} outside [100, 250]")));
    }
    let [p1, p2] = f.widths;
    if !(1..=8192).contains(&p1) || !(1..=1024).contains(&p2) {
        out.push(Violation::new("params.widths", H18, format!("p1 = {p1}, p2 = {p2}")));
    }
    if !(1..=4096).contains(&f.two_layer_width) {
        out.push(Violation::new("params.two_layer_width", H18, format!("p = {}", f.two_layer_width)));
    }
    if f.max_iter.iter().any(|&m| !(1..=20_000).contains(&m)) {
        out.push(Violation::new("params.max_iter", H18, format!("{:?}", f.max_iter)));
    }
    if !(f.kernel_ridge.is_finite() && f.kernel_ridge > 0.0) {
        out.push(Violation::new("params.kernel_ridge", H18, format!("λ = {}", f.kernel_ridge)));
    }
    if !(1000..=100_000).contains(&f.test_points) {
        out.push(Violation::new("params.test_points", H18, format!("{}", f.test_points)));
    }
    if let Some(&s) = sizes.iter().max() {
        let entries = samples_at(f.dimension, s) as f64 * kernel_peak(f.dimension);
        if entries > 5e7 {
            out.push(Violation::new(
                "sizes",
                H18,
                format!("n × C(d+2, 2) = {entries:.3e} entries at 100 κ = {s}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theorem::TypedTheorem;
    use crate::theorems::depth_advantage::{DepthAdvantage, DepthAdvantageParams};

    const CARD: &str = "measure = \"fig2\"\nepsilon = 0.5\nfeature_degrees = [2, 3]\n\
        normalisation = \"factorial\"\nlink = \"tanh\"\nlink_scale = 3.0\ndimension = 64\n\
        widths = [256, 32]\ntwo_layer_width = 251\nmax_iter = [62, 300]\nkernel_ridge = 1.0\n\
        test_points = 1000\nprecision = \"f32\"\n";

    fn parse(table: &str) -> DepthAdvantageParams {
        toml::from_str(table).unwrap()
    }

    fn fields(p: &DepthAdvantageParams, sizes: &[u64]) -> Vec<String> {
        DepthAdvantage.violations(p, sizes).into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn the_features_reproduce_the_references_quadratic_kernel() {
        let mut rng = crate::rng::rng_from_u64(1);
        let x = crate::sim::three_layer::gaussian_rows(5, 7, &mut rng);
        let phi = quadratic_kernel_features(x.as_ref());
        assert_eq!(phi.ncols() as f64, kernel_peak(7));
        for (a, b) in [(0, 1), (2, 2), (3, 4)] {
            let dot: f64 = (0..7).map(|j| x[(a, j)] * x[(b, j)]).sum();
            let k: f64 = (0..phi.ncols()).map(|c| phi[(a, c)] * phi[(b, c)]).sum();
            assert!((k - (dot * dot + dot + 1.0)).abs() < 1e-10 * (1.0 + k.abs()));
        }
    }

    #[test]
    fn bad_fig2_cards_name_the_field_and_h16() {
        assert!(fields(&parse(CARD), &[200, 210, 220]).is_empty());
        let bad = |from: &str, to: &str| parse(&CARD.replace(from, to));
        let v = DepthAdvantage.violations(&bad("kernel_ridge = 1.0", "kernel_ridge = 0.0"), &[200, 210, 220]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "params.kernel_ridge");
        assert!(v[0].hypothesis.contains("(H18)"), "{}", v[0].hypothesis);
        assert_eq!(fields(&bad("dimension = 64", "dimension = 50"), &[200]), ["params.dimension"]);
        assert_eq!(fields(&bad("two_layer_width = 251", "two_layer_width = 0"), &[200]), ["params.two_layer_width"]);
        assert_eq!(fields(&parse(CARD), &[90, 200]), ["sizes"]);
        // n x C(d+2, 2) above 5e7 entries: d = 144 at kappa 2.2 (n = 56 000, C = 10 585).
        assert_eq!(fields(&bad("dimension = 64", "dimension = 144"), &[220]), ["sizes"]);
    }

    #[test]
    fn the_margin_is_non_negative_exactly_for_the_ordering() {
        let e = |k, t, l| Fig2Errors { kernel: k, two_layer: t, layer_wise: l, joint: 0.0 };
        assert!(e(0.3, 0.2, 0.1).margin() > 0.0);
        assert!(e(0.3, 0.2, 0.25).margin() < 0.0);
        assert!(e(0.15, 0.2, 0.1).margin() < 0.0);
        assert!((e(0.4, 0.2, 0.1).margin() - 2f64.ln()).abs() < 1e-15);
    }
}
