//! The width experiment: the width at which a finite-width linearised two-layer ReLU net,
//! fitted by ridge regression on many more samples than parameters, has learned half of
//! degree $\ell$.

use super::krr::{draw_data, half_learned, mean_product, sample_grid, zonal_values};
use super::params::{WidthDesign, WidthModel};
use crate::learn::{PrefixRidge, ReluFeatures};
use crate::rng::Rng;
use crate::special::gegenbauer::SphericalMarginal;
use crate::special::harmonics::cumulative_harmonic_dimension_f64;
use crate::theorem::Observation;
use faer::MatRef;

/// The width scale $N_\ell(d)$ / (parameters per neuron) and the widest model $N_{\max}$.
pub(super) fn width_budget(p: &WidthDesign, d: u64) -> Option<(f64, usize)> {
    let units = cumulative_harmonic_dimension_f64(d, p.degree).ok()?
        / p.model.parameters_per_neuron(d) as f64;
    Some((units, (p.sample_budget * units).ceil() as usize))
}

/// One trial's width threshold at dimension $d$: the first width $N$ at which the ridge fit
/// of the model, on $n = $ `sample_ratio` $\cdot p_{\max}$ samples, has learned half of the
/// degree-$\ell$ component; on the harmonic scale $N^* d^\ell / N_\ell(d)$.
pub(super) fn width_threshold(
    p: &WidthDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let (l, model) = (p.degree, p.model);
    let (units, n_max) = width_budget(p, d).ok_or("N_ℓ(d) overflows")?;
    let per_neuron = model.parameters_per_neuron(d) as usize;
    let p_max = n_max * per_neuron;
    let n = (p.sample_ratio * p_max as f64).ceil() as usize;
    let law = SphericalMarginal::new(d).map_err(|e| e.to_string())?;
    let data = draw_data(&p.target, p.test_points, d, n, rng)?;
    let neurons = ReluFeatures::draw(n_max, d as usize, rng).map_err(|e| e.to_string())?;
    let features = |x: MatRef<'_, f64>| match model {
        WidthModel::RandomFeatures => neurons.rf_features(x),
        WidthModel::NeuralTangent => neurons.nt_features(x),
    };
    let phi = features(data.x.as_ref()).map_err(|e| e.to_string())?;
    let phi_test = features(data.test.as_ref()).map_err(|e| e.to_string())?;
    let ridge =
        PrefixRidge::fit(phi.as_ref(), &data.y, p.relative_ridge).map_err(|e| format!("{e}"))?;
    drop(phi);
    let grid = sample_grid(units, n_max);
    let n_l = cumulative_harmonic_dimension_f64(d, l).map_err(|e| e.to_string())?;
    let scale = p.threshold_scale.factor(d, l, n_l);
    let q_test = zonal_values(&law, l, &data.test);
    half_learned((l, p.target[l as usize]), &grid, scale, "width N", |width| {
        let f_hat =
            ridge.predict(width * per_neuron, phi_test.as_ref()).map_err(|e| e.to_string())?;
        Ok(mean_product(&f_hat, &q_test))
    })
}
