use super::*;

fn width() -> WidthSweep {
    WidthSweep { n: 32, d: 8, output_scale: 1.0, step: 0.5, loss_ratio: 1e-4, max_steps: 10_000 }
}

fn linear_rate() -> LinearRate {
    LinearRate { n: 32, d: 8, width: 4096, output_scale: 1.0, step: 0.5, max_steps: 10_000 }
}

fn deviation() -> RateDeviation {
    RateDeviation {
        n: 32,
        d: 8,
        output_scale: 1.0,
        step: 0.5,
        max_steps: 10_000,
        rate_window: [2, 6],
    }
}

#[test]
fn a_trial_out_of_steps_or_e_folds_fails_with_the_reason() {
    let p = LazyTrainingParams::Width(WidthSweep { max_steps: 3, ..width() });
    let v = Validated::check(&LazyTraining, p, &[4096]).unwrap();
    let mut rng = crate::rng::rng_from_u64(7);
    match LazyTraining.trial(&v, 4096, &mut rng) {
        Observation::Failed(why) => assert!(why.contains("max_steps = 3"), "{why}"),
        other => panic!("{other:?}"),
    }
    let r = LazyTrainingParams::LinearRate(LinearRate { max_steps: 10, ..linear_rate() });
    let v = Validated::check(&LazyTraining, r, &[2, 4]).unwrap();
    match LazyTraining.trial(&v, 4, &mut rng) {
        Observation::Failed(why) => assert!(why.contains("beyond max_steps = 10"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_lazy_floor_is_alpha_root_m_at_least_two_n() {
    let t = LazyTraining;
    let w = LazyTrainingParams::Width(width());
    assert!(t.violations(&w, &[4096, 8192]).is_empty());
    let v = t.violations(&w, &[2048, 4096]);
    assert_eq!(v.len(), 1);
    assert!(v[0].hypothesis.starts_with("(H3)") && v[0].found.contains("m = 2048"), "{v:?}");
    let scale = LazyTrainingParams::OutputScale(ScaleSweep {
        n: 32,
        d: 8,
        width: 256,
        step: 0.5,
        loss_ratio: 1e-4,
        max_steps: 10_000,
    });
    assert!(t.violations(&scale, &[4, 8, 16]).is_empty());
    assert!(t.violations(&scale, &[2, 4, 8])[0].hypothesis.starts_with("(H3)"));
    assert!(t.violations(&w, &[4097, 8192])[0].found.contains("even"));
    let narrow = LazyTrainingParams::LinearRate(LinearRate { width: 1024, ..linear_rate() });
    let v = t.violations(&narrow, &[2, 4]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!((v[0].field.as_str(), &v[0].hypothesis[..4]), ("params.width", "(H3)"));
}

#[test]
fn each_bad_parameter_names_its_hypothesis() {
    let t = LazyTraining;
    let names = |p: LazyTrainingParams, sizes: &[u64]| -> Vec<String> {
        t.violations(&p, sizes).iter().map(|v| v.hypothesis[..4].to_string()).collect()
    };
    let w = |edit: fn(&mut WidthSweep)| {
        let mut p = width();
        edit(&mut p);
        LazyTrainingParams::Width(p)
    };
    assert_eq!(names(w(|p| p.d = 1), &[4096]), ["(H2)"]);
    assert!(names(w(|p| p.n = 0), &[4096]).contains(&"(H1)".to_string()));
    assert_eq!(names(w(|p| p.step = f64::NAN), &[4096]), ["(H5)"]);
    assert_eq!(names(w(|p| p.output_scale = -1.0), &[4096]), ["(H4)"]);
    assert_eq!(names(w(|p| p.loss_ratio = 1.0), &[4096]), ["(H6)"]);
    let r = |edit: fn(&mut LinearRate)| {
        let mut p = linear_rate();
        edit(&mut p);
        LazyTrainingParams::LinearRate(p)
    };
    assert!(names(r(|_| {}), &[2, 4]).is_empty());
    assert_eq!(names(r(|_| {}), &[0, 4]), ["(H8)"]);
    assert_eq!(names(r(|p| p.max_steps = 0), &[2, 4]), ["(H6)"]);
    let dev = |rate_window: [u64; 2]| {
        LazyTrainingParams::RateDeviation(RateDeviation { rate_window, ..deviation() })
    };
    assert!(names(dev([2, 6]), &[4096, 8192]).is_empty());
    assert_eq!(names(dev([6, 2]), &[4096, 8192]), ["(H9)"]);
    assert_eq!(names(dev([0, 6]), &[4096, 8192]), ["(H9)"]);
    assert_eq!(names(dev([2, 6]), &[1024, 8192]), ["(H3)"]);
}

/// The design fixes the fields: another design's field, or a missing one, is refused when
/// the card is read, naming the field (what (H7) and (H9) checked at run time before).
#[test]
fn a_design_admits_exactly_its_fields() {
    let card =
        crate::registry::BUILTIN_CARDS.iter().find(|(id, _)| *id == "lazy-training").unwrap().1;
    let load = |text: String| {
        let src = crate::card::CardSource { path: "my-card.toml".into(), text };
        crate::registry::load_card(&src).map(|_| ()).unwrap_err().to_string()
    };
    // The width design with the output-scale design's `width`.
    let e = load(card.replacen("measure = \"width\"", "measure = \"width\"\nwidth = 4096", 1));
    assert!(e.starts_with("my-card.toml:") && e.contains("unknown field `width`"), "{e}");
    // linear-rate without its `width`; rate-deviation with linear-rate's sizes and no window.
    let e = load(card.replacen("width = 32768\n", "", 1));
    assert!(e.contains("missing field `width`"), "{e}");
    let e = load(card.replacen("rate_window = [2, 6]\n", "", 1));
    assert!(e.contains("missing field `rate_window`"), "{e}");
    let e = load(card.replacen(
        "measure = \"linear-rate\"",
        "measure = \"linear-rate\"\nloss_ratio = 1e-4",
        1,
    ));
    assert!(e.contains("unknown field `loss_ratio`"), "{e}");
}

/// A design, its rival, the quick and full sizes, the predicted exponent, the tolerance and the
/// rival's exponent on each sweep.
type RivalCase = (LazyTrainingParams, &'static str, Vec<u64>, Vec<u64>, f64, f64, [f64; 2]);

/// Pre-registration (no data): each design's rival exponent over the card's quick and full
/// sweeps, in the fit's coordinates (least squares, unweighted), and its distance from the
/// prediction against 2 × the claim's tolerance.
#[test]
fn rival_exponents_over_the_cards_sweeps() {
    let widths: Vec<u64> = vec![4096, 5792, 8192, 11586, 16384, 23170, 32768];
    let wide: Vec<u64> = [widths.clone(), vec![46340, 65536, 92682, 131072]].concat();
    let deviation_full: Vec<u64> = [widths.clone(), vec![46340, 65536]].concat();
    let scale =
        ScaleSweep { n: 32, d: 8, width: 256, step: 0.5, loss_ratio: 1e-4, max_steps: 20000 };
    // (design, rival, quick sizes, full sizes, predicted, tolerance, rival's exponents)
    let designs: Vec<RivalCase> = vec![
        (
            LazyTrainingParams::Width(width()),
            "mean-field",
            widths.clone(),
            wide,
            0.5,
            0.1,
            [0.0, 0.0],
        ),
        (
            LazyTrainingParams::OutputScale(scale),
            "width-like",
            vec![4, 8, 16, 32, 64],
            vec![4, 8, 16, 32, 64, 128, 256],
            1.0,
            0.1,
            [0.5, 0.5],
        ),
        (
            LazyTrainingParams::LinearRate(linear_rate()),
            "sublinear",
            vec![2, 4, 6, 8],
            vec![2, 4, 6, 8, 10],
            std::f64::consts::LOG2_E,
            0.15,
            [0.329, 0.282],
        ),
        (
            LazyTrainingParams::RateDeviation(deviation()),
            "second-order",
            widths,
            deviation_full,
            0.5,
            0.15,
            [1.0, 1.0],
        ),
    ];
    for (params, rival, quick, full, predicted, tol, expected) in designs {
        let p = Validated::check(&LazyTraining, params, &quick).unwrap();
        let kind = LazyTraining.predict(&p).kind;
        for (sizes, want) in [(&quick, expected[0]), (&full, expected[1])] {
            let curve = LazyTraining.rival_curve(&p, rival, sizes).unwrap();
            let (x, y): (Vec<f64>, Vec<f64>) =
                sizes.iter().zip(&curve).map(|(&s, &v)| kind.coordinates(s as f64, v)).unzip();
            let (mx, my) =
                (x.iter().sum::<f64>() / x.len() as f64, y.iter().sum::<f64>() / y.len() as f64);
            let sxy: f64 = x.iter().zip(&y).map(|(x, y)| (x - mx) * (y - my)).sum();
            let sxx: f64 = x.iter().map(|x| (x - mx) * (x - mx)).sum();
            let a = kind.exponent_of_slope(sxy / sxx);
            assert!((a - want).abs() < 1e-3, "{rival}: {a}");
            assert!((a - predicted).abs() > 2.0 * tol, "{rival}: {a}");
        }
    }
}
