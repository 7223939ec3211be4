use faer::Mat;
use std::f64::consts::PI;
use thm::learn::{NtPopulation, PrefixRidge, ReluFeatures};
use thm::rng::rng_from_u64;
fn units(n: &ReluFeatures) -> Vec<Vec<f64>> {
    let w = n.weights();
    (0..w.nrows())
        .map(|i| {
            let r: Vec<f64> = (0..w.ncols()).map(|a| w[(i, a)]).collect();
            let s = r.iter().map(|v| v * v).sum::<f64>().sqrt();
            r.iter().map(|v| v / s).collect()
        })
        .collect()
}
fn crossing(fr: &[(usize, f64)]) -> Option<f64> {
    for w in fr.windows(2) {
        if w[0].1 < 0.5 && w[1].1 >= 0.5 {
            let (a, b) = ((w[0].0 as f64).ln(), (w[1].0 as f64).ln());
            let t = (0.5 - w[0].1) / (w[1].1 - w[0].1);
            return Some((a + t * (b - a)).exp());
        }
    }
    None
}
fn main() {
    for d in [16usize, 23, 32, 45, 64] {
        for seed in 0..3u64 {
            let b2 = (d * (d + 1) / 2) as usize;
            let n_rf = 2 * b2;
            let neurons =
                ReluFeatures::draw(n_rf, d, &mut rng_from_u64(100 * d as u64 + seed)).unwrap();
            let u = units(&neurons);
            // RF on Gaussian inputs: unit-norm features relu(<u,x>), Gram = arccos1/(2π), b = u1^2/(2 sqrt pi)
            let mut g = Mat::<f64>::zeros(n_rf, n_rf);
            for i in 0..n_rf {
                for j in 0..=i {
                    let rho: f64 =
                        u[i].iter().zip(&u[j]).map(|(a, b)| a * b).sum::<f64>().clamp(-1.0, 1.0);
                    let th = rho.acos();
                    let v = ((1.0 - rho * rho).sqrt() + (PI - th) * rho) / (2.0 * PI);
                    g[(i, j)] = v;
                    g[(j, i)] = v;
                }
            }
            let b: Vec<f64> = u.iter().map(|ui| ui[0] * ui[0] / (2.0 * PI.sqrt())).collect();
            let pr = PrefixRidge::from_moments(g, b.clone(), 1e-10).unwrap();
            let grid: Vec<usize> = (0..40)
                .map(|k| ((n_rf as f64).powf(k as f64 / 39.0)).round() as usize)
                .filter(|&q| q >= 1)
                .collect();
            let mut fr = vec![];
            let mut last = 0;
            for &q in &grid {
                if q == last {
                    continue;
                }
                last = q;
                let beta = pr.coefficients(q).unwrap();
                fr.push((q, beta.iter().zip(&b).map(|(x, y)| x * y).sum::<f64>()));
            }
            let rf = crossing(&fr);
            // NT
            let n_nt = (d * 3 / 2).max(8);
            let nn =
                ReluFeatures::draw(n_nt, d, &mut rng_from_u64(100 * d as u64 + seed + 50)).unwrap();
            let pop = NtPopulation::new(d).unwrap();
            let g = pop.gram(&nn).unwrap();
            let b = pop.projection(&nn, 2).unwrap();
            let pr = PrefixRidge::from_moments(g, b.clone(), 1e-10).unwrap();
            let mut fr = vec![];
            for q in 1..=n_nt {
                let beta = pr.coefficients(q * d).unwrap();
                fr.push((q, beta.iter().zip(&b).map(|(x, y)| x * y).sum::<f64>()));
            }
            let nt = crossing(&fr);
            println!(
                "d={d} seed={seed}: RF N*={:?} (B2={b2})  NT N*={:?}",
                rf.map(|v| v.round()),
                nt.map(|v| (v * 10.0).round() / 10.0)
            );
        }
    }
}
