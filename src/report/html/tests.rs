use super::*;
use crate::card::CardSource;
use crate::check::{self, FiniteSizeFit};
use crate::law::{Control, Judge, RivalLaw};
use crate::verdict::Verdict;

/// The depth-efficiency card (two deterministic claims, milliseconds, each controlled by a
/// rival law) as a user's copy: a first comment line makes it differ from the built-in card.
fn card_text() -> String {
    let text = registry::BUILTIN_CARDS
        .iter()
        .find(|(id, _)| *id == "depth-efficiency-square")
        .map(|(_, t)| *t)
        .unwrap();
    assert!(
        text.contains("control = { rival = \"lipschitz\" }"),
        "the shallow claim's control moved"
    );
    assert!(
        text.contains("control = { rival = \"width-like\" }"),
        "the deep claim's control moved"
    );
    format!("# A user's copy of the built-in card.\n{text}")
}

fn checked() -> (LoadedCard, Vec<ClaimResult>) {
    let source = CardSource { path: "/somewhere/private/my-card.toml".into(), text: card_text() };
    let card = registry::load_card(&source).unwrap();
    let results = card
        .claims
        .iter()
        .map(|c| check::run_claim(&card, c, Profile::Quick, None, &|| {}))
        .collect();
    (card, results)
}

fn entries<'a>(card: &'a LoadedCard, results: &'a [ClaimResult]) -> Vec<Entry<'a>> {
    results
        .iter()
        .map(|r| Entry {
            card: CardInfo::Loaded(card),
            result: r,
            panels: &[],
            held_back: false,
            certificate: None,
        })
        .collect()
}

fn options() -> Options {
    Options { generator: "thm test".into(), notes: vec!["a note <with markup>".into()] }
}

/// Every `href="…"` and `src="…"` value of a page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    out
}

#[test]
fn a_site_has_an_index_linking_one_page_per_claim() {
    let (card, results) = checked();
    let pages = site(&entries(&card, &results), &options());
    let files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "index.html",
            "depth-efficiency-square__shallow@quick.html",
            "depth-efficiency-square__deep@quick.html",
            "depth-efficiency-square.card.html"
        ]
    );
    let index = &pages[0].html;
    for (page, r) in pages[1..3].iter().zip(&results) {
        assert!(index.contains(&format!("<a href=\"{}\"", page.file)), "{index}");
        assert_eq!(r.outcome.verdict, Verdict::Confirmed);
        assert!(page.html.contains("<span class=\"verdict confirmed\">confirmed</span>"));
        assert!(page.html.contains("<svg role=\"img\""), "no inline figure");
        assert!(page.html.contains(&r.results_hash));
        assert!(page.html.contains("--profile quick --seed 0"), "no command");
        assert!(page.html.contains("Yarotsky"), "no citation");
        assert!(page.html.contains("1610.01145v3"), "no arXiv id");
        assert!(page.html.contains(&esc(&r.prediction.rationale)), "no rationale");
        let Control::Rival(rival) = &r.control else { panic!("the card's controls are rivals") };
        let control =
            format!("Control: rival law <code>{}</code>,</strong> {}", rival.name, esc(&rival.law));
        assert!(page.html.contains(&control), "no control");
        assert!(page.html.contains("<a href=\"depth-efficiency-square.card.html\">"), "no card");
        assert!(!page.html.contains("A user&#39;s copy"), "the card's text is on a claim page");
    }
    // The card's text is on its own page, once, linked to its claims' pages.
    let card_page = &pages[3].html;
    assert_eq!(card_page.matches("A user&#39;s copy of the built-in card.").count(), 1);
    for page in &pages[1..3] {
        assert!(card_page.contains(&format!("<a href=\"{}\">", page.file)), "{}", page.file);
    }
    assert!(!card_page.contains("the built-in card of its theorem"));
    assert!(index.contains("a note &lt;with markup&gt;"));
    // Links and sources point at pages of the site only; nothing names the card's directory.
    for page in &pages {
        for reference in references(&page.html) {
            assert!(files.contains(&reference.as_str()), "{}: {reference}", page.file);
        }
        assert!(!page.html.contains("/somewhere"), "{} shows a path", page.file);
        assert!(!page.html.contains("<?xml"), "{}", page.file);
        assert!(page.html.len() < 200_000, "{}: {} bytes", page.file, page.html.len());
    }
}

#[test]
fn each_distinct_card_of_a_theorem_has_its_page() {
    let (card, results) = checked();
    let builtin = registry::builtin_card("depth-efficiency-square").unwrap();
    let mut e = entries(&card, &results);
    e.extend(entries(&builtin, &results));
    e.extend(entries(&card, &results[..1]));
    let pages = site(&e, &options());
    let files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        files[5..],
        [
            "depth-efficiency-square__shallow@quick-3.html",
            "depth-efficiency-square.card.html",
            "depth-efficiency-square.card-2.html"
        ]
    );
    let copy = &pages[6].html;
    for linked in ["__shallow@quick.html", "__deep@quick.html", "__shallow@quick-3.html"] {
        assert!(copy.contains(&format!("depth-efficiency-square{linked}\"")), "{linked}");
    }
    assert!(!copy.contains("quick-2.html"), "the copy's page links the built-in card's claims");
    assert!(pages[7].html.contains("the built-in card of its theorem"));
    assert!(pages[3].html.contains("<a href=\"depth-efficiency-square.card-2.html\">"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (card, results) = checked();
    let a = site(&entries(&card, &results), &options());
    let (card, results) = checked();
    let b = site(&entries(&card, &results), &options());
    assert_eq!(a, b);
}

#[test]
fn text_from_a_card_or_a_result_is_escaped() {
    let (card, mut results) = checked();
    let r = &mut results[0];
    r.claim = "x<b>\"'&/..".into();
    r.outcome.reason = "<script>alert(1)</script>".into();
    r.prediction.law = "n* ~ d & <i>".into();
    let pages = site(&entries(&card, &results), &options());
    let file = "depth-efficiency-square__x~3cb~3e~22~27~26~2f..@quick.html";
    assert_eq!(pages[1].file, file);
    for page in &pages[..2] {
        assert!(!page.html.contains("<script>alert"), "{}", page.file);
        assert!(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", page.file);
        assert!(!page.html.contains("<i>"), "{}", page.file);
        assert!(page.html.contains("x&lt;b&gt;&quot;&#39;&amp;/.."), "{}", page.file);
    }
    assert_eq!(page_stem("t", ".hidden", Profile::Full), "t__~2ehidden@full");
    assert_eq!(page_stem("t", "é:", Profile::Quick), "t__~c3~a9~3a@quick");
}

#[test]
fn a_finite_size_claim_shows_its_predicted_values_and_ratios_and_a_control_its_law() {
    let (card, mut results) = checked();
    let r = &mut results[0];
    let n = r.sizes.len();
    let r_fit_exponent = r.fit.as_ref().unwrap().exponent;
    r.judge = Judge::FiniteSize;
    r.finite_size = Some(FiniteSizeFit {
        provenance: "1/(8 N^2), exact".into(),
        predicted: (0..n).map(|i| 0.125 / 4f64.powi(i as i32 + 1)).collect(),
        ratios: (0..n).map(|_| (1.0, (0.98, 1.02))).collect(),
        slope: 0.001,
        ci_t: (-0.01, 0.012),
        ci_bootstrap: (-0.009, 0.011),
        interval: (-0.01, 0.012),
        lack_of_fit_p: Some(0.5),
    });
    r.control = Control::Rival(RivalLaw {
        name: "n-log-n".into(),
        law: "err ~ N^-2 log N".into(),
        why: "a sceptic's guess".into(),
    });
    r.control_curve = r.sizes.iter().map(|&s| (s as f64).powi(-2) * (s as f64).ln()).collect();
    results[1].control = Control::Shift(0.5);
    results[1].control_curve.clear();
    let pages = site(&entries(&card, &results), &options());
    assert!(pages[2].html.contains("<strong>Control: shift.</strong>"));
    assert!(pages[2].html.contains("shifted by +0.5"));
    assert!(pages[0].html.contains("at +0.50"));
    let page = &pages[1].html;
    for needle in [
        "Finite size.",
        "1/(8 N^2), exact",
        "predicted err",
        "measured / predicted [95%]",
        "1.00 [0.980, 1.02]",
        "slope of log(err / err_pred)",
        "Control: rival law <code>n-log-n</code>",
        "err ~ N^-2 log N",
        "a sceptic&#39;s guess",
        "(reported, not judged)",
    ] {
        assert!(page.contains(needle), "no `{needle}`");
    }
    assert!(pages[0].html.contains("slope 0 ± 0.05"));
    let exponent = format!("exponent {:.2}, not judged", r_fit_exponent);
    assert!(pages[0].html.contains(&exponent), "no asymptotic exponent in the index");
    assert!(pages[0].html.contains("rival n-log-n"));
}

#[test]
fn figures_on_one_page_have_distinct_clip_paths() {
    let (card, results) = checked();
    let panel = Panel {
        name: "n8".into(),
        title: "a panel".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        log_x: false,
        log_y: false,
        points: vec![(1.0, 1.0), (2.0, 3.0)],
        medians: vec![(1.0, 1.0), (2.0, 3.0)],
        curves: vec![("fit".into(), vec![(1.0, 1.0), (2.0, 3.0)])],
    };
    let panels = vec![(8, Ok(panel)), (16, Err("too small".to_string()))];
    let mut e = entries(&card, &results);
    e[0].panels = &panels;
    let page = &site(&e, &options())[1].html;
    assert_eq!(page.matches("<svg ").count(), 2);
    for id in ["thm-plot-area-0", "thm-plot-area-1"] {
        assert_eq!(page.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        assert_eq!(page.matches(&format!("url(#{id})")).count(), 1, "{id}");
    }
    assert!(page.contains("No panel at N = 16: too small"));
}

#[test]
fn a_page_shows_three_panels_at_most_and_a_twin_links_its_originals() {
    let (_, results) = checked();
    let panel = |n: u64| Panel {
        name: format!("n{n}"),
        title: format!("panel {n}"),
        x_label: "x".into(),
        y_label: "y".into(),
        log_x: false,
        log_y: false,
        points: vec![(1.0, 1.0), (2.0, n as f64)],
        medians: vec![(1.0, 1.0)],
        curves: Vec::new(),
    };
    let panels: Vec<(u64, Result<Panel, String>)> = (1..=7).map(|n| (n, Ok(panel(n)))).collect();
    // `deep` as a twin of `shallow`, read from the card's text (which is not validated).
    let text =
        card_text().replacen("id = \"deep\"\n", "id = \"deep\"\ntrials_of = \"shallow\"\n", 1);
    let e: Vec<Entry<'_>> = results
        .iter()
        .map(|r| Entry {
            card: CardInfo::Text { name: "my-card.toml", text: &text },
            result: r,
            panels: &panels,
            held_back: false,
            certificate: None,
        })
        .collect();
    let pages = site(&e, &options());
    let shallow = &pages[1].html;
    assert_eq!(shallow.matches("<svg ").count(), 1 + 3);
    for at in [1, 4, 7] {
        assert!(shallow.contains(&format!("Module panel at N = {at}.")), "{at}");
    }
    assert!(shallow.contains("Module panels at N = 1, 4, 7 only, of the 7 sizes"));
    assert!(shallow.contains("<code>thm check my-card.toml --profile quick --seed 0 --plot DIR"));
    let deep = &pages[2].html;
    assert_eq!(deep.matches("<svg ").count(), 1, "a twin shows its original's panels");
    assert!(deep.contains(
        "The module's panels are those of claim \
         <a href=\"depth-efficiency-square__shallow@quick.html\">shallow</a>."
    ));
}

#[test]
fn a_card_read_from_its_text_says_what_a_loaded_card_says() {
    let (card, results) = checked();
    let text = card_text();
    let from_text: Vec<Entry<'_>> = results
        .iter()
        .map(|r| Entry {
            card: CardInfo::Text { name: "dir/my-card.toml", text: &text },
            result: r,
            panels: &[],
            held_back: false,
            certificate: None,
        })
        .collect();
    let build = Build::current();
    let mut certified = from_text.clone();
    for e in &mut certified {
        e.certificate = Some(Certified { file: "my cert.json", build: &build });
    }
    let loaded = site(&entries(&card, &results), &options());
    let read = site(&from_text, &options());
    assert_eq!(loaded, read);
    let with_cert = site(&certified, &options());
    assert!(with_cert[1].html.contains("thm reproduce &#39;my cert.json&#39;"));
    assert!(!with_cert[1].html.contains("dir/"));
}
