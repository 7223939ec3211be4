//! The results site in a real browser: `thm check --report`, `thm merge --report` and
//! `thm report` write pages that headless Chromium renders with every claim, verdict and link
//! in place, the script working, and a screenshot that is not blank.
//!
//! Chromium is Debian's `chromium` package, installed with `apt-get` when missing (CI runs as
//! root on Debian 12). The README's screenshot `docs/report.png` is the index page of a quick
//! check taken with the flags of [`headless`] and `--screenshot`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const CARD_ID: &str = "depth-efficiency-square";
const CLAIMS: [&str; 2] = ["shallow", "deep"];

fn thm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thm")).args(args).output().expect("the binary runs")
}

/// A fresh empty directory under the system's temp dir.
fn scratch() -> PathBuf {
    crate::scratch_dir("browser")
}

/// The depth-efficiency card (two deterministic claims, a second to check, each controlled by a
/// rival law) written to `dir` as a user's copy: a first comment line makes it differ from the
/// built-in card, so its pages say to re-run the file.
fn card(dir: &Path) -> PathBuf {
    let text = thm::registry::BUILTIN_CARDS.iter().find(|(id, _)| *id == CARD_ID).unwrap().1;
    for rival in ["lipschitz", "width-like"] {
        let control = format!("control = {{ rival = \"{rival}\" }}");
        assert!(text.contains(&control), "the card no longer has `{control}`");
    }
    let path = dir.join("card.toml");
    std::fs::write(&path, format!("# A user's copy of the built-in card.\n{text}")).unwrap();
    path
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Debian's Chromium, installed if missing (once per test run).
fn chromium() -> &'static Path {
    static CHROMIUM: OnceLock<PathBuf> = OnceLock::new();
    CHROMIUM.get_or_init(|| {
        if let Some(found) = on_path("chromium") {
            return found;
        }
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "chromium"];
        let installed = apt(&install) || (apt(&["-o", "DPkg::Lock::Timeout=600", "update"]) && apt(&install));
        assert!(installed, "cannot install chromium: `apt-get install -y chromium` failed (root on Debian is assumed)");
        on_path("chromium").expect("chromium is on PATH after apt-get install")
    })
}

/// Runs headless Chromium on `url` with `extra` flags (`--dump-dom`, `--screenshot=…`) and a
/// fresh profile; fails the test after a minute.
fn headless(extra: &[String], url: &str) -> Output {
    let profile = scratch();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1200,800",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish in a minute on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn url(page: &Path) -> String {
    format!("file://{}", page.canonicalize().unwrap().display())
}

/// The DOM after the page's scripts ran.
fn dom(page: &Path, fragment: &str) -> String {
    let out = headless(&["--dump-dom".into()], &format!("{}{fragment}", url(page)));
    String::from_utf8(out.stdout).unwrap()
}

/// A screenshot of the page's first 1200 × 800 pixels, decoded: (width, height, RGBA pixels).
fn screenshot(page: &Path, png: &Path) -> (u32, u32, Vec<[u8; 4]>) {
    headless(&[format!("--screenshot={}", png.display())], &url(page));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{png:?}");
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| match channels {
            4 => [c[0], c[1], c[2], c[3]],
            3 => [c[0], c[1], c[2], 255],
            _ => [c[0], c[0], c[0], 255],
        })
        .collect();
    (info.width, info.height, pixels)
}

/// Not blank: several colours, and a fair share of pixels differ from the background (the most
/// common colour).
fn assert_not_blank(name: &str, (w, h, pixels): &(u32, u32, Vec<[u8; 4]>)) {
    assert_eq!((*w, *h), (1200, 800), "{name}: size");
    let mut counts = std::collections::HashMap::new();
    for p in pixels {
        *counts.entry(*p).or_insert(0usize) += 1;
    }
    let background = counts.values().copied().max().unwrap();
    let ink = 1.0 - background as f64 / pixels.len() as f64;
    assert!(counts.len() >= 16, "{name}: only {} colours", counts.len());
    assert!(ink > 0.03, "{name}: only {:.1}% of the pixels are not background", 100.0 * ink);
}

/// Every `href="…"` and `src="…"` value in markup.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].replace("&amp;", "&"));
        }
    }
    out
}

/// Every reference that is not a `#fragment` names a file of the site.
fn assert_links_resolve(dir: &Path, name: &str, html: &str) {
    for reference in references(html) {
        let path = reference.split(['#', '?']).next().unwrap();
        if path.is_empty() {
            continue;
        }
        assert!(!path.contains(':') && !path.starts_with('/'), "{name}: external link {reference}");
        assert!(dir.join(path).is_file(), "{name}: broken link {reference}");
    }
}

/// The `<tr …>…</tr>` of the verdict table that links to `page`.
fn row<'a>(dom: &'a str, page: &str) -> &'a str {
    let link = format!("href=\"{page}\"");
    dom.split("<tr ").find(|r| r.contains(&link)).unwrap_or_else(|| panic!("no row links {page}"))
}

#[test]
fn a_checked_site_renders_in_a_browser_with_every_claim_link_and_figure() {
    let started = Instant::now();
    let dir = scratch();
    let card = card(&dir);
    let site = dir.join("site");
    let cert = dir.join("cert.json");
    let o = thm(&[
        "check",
        card.to_str().unwrap(),
        "--no-store",
        "--report",
        site.to_str().unwrap(),
        "--cert",
        cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let certificate =
        thm::cert::Certificate::parse(&cert, &std::fs::read_to_string(&cert).unwrap()).unwrap();
    let index = site.join("index.html");
    let checked = started.elapsed();

    let dom_index = dom(&index, "");
    assert_links_resolve(&site, "index.html", &dom_index);
    assert!(dom_index.contains("2 of 2 claims shown"), "the script did not run");
    assert!(dom_index.contains("<button type=\"button\""), "no sort buttons");
    assert!(!dom_index.contains("id=\"controls\" class=\"controls\" hidden"), "filters hidden");
    for claim in CLAIMS {
        let page = format!("{CARD_ID}__{claim}@quick.html");
        let row = row(&dom_index, &page);
        assert!(row.contains("data-verdict=\"confirmed\""), "{row}");
        assert!(row.contains("<span class=\"verdict confirmed\">confirmed</span>"), "{row}");
        assert!(site.join(&page).is_file(), "{page}");
    }
    // A filter set in the address hides the rows it excludes.
    let refuted = dom(&index, "#verdict=refuted");
    assert!(refuted.contains("0 of 2 claims shown"), "the fragment's filter was not applied");
    assert_eq!(refuted.matches(" hidden=\"\"").count(), 2, "rows not hidden");

    let claim_page = site.join(format!("{CARD_ID}__deep@quick.html"));
    let dom_claim = dom(&claim_page, "");
    assert_links_resolve(&site, "deep", &dom_claim);
    let card_page = std::fs::read_to_string(site.join(format!("{CARD_ID}.card.html"))).unwrap();
    assert_links_resolve(&site, "card", &card_page);
    assert!(card_page.contains("# A user&#39;s copy of the built-in card."), "no card text");
    let certified = certificate.claims.iter().find(|c| c.claim == "deep").unwrap();
    let hash = certified.result["results_hash"].as_str().unwrap();
    for needle in [
        "<svg role=\"img\"",
        "<span class=\"verdict confirmed\">confirmed</span>",
        hash,
        "thm check card.toml --profile quick --seed 0",
        "Yarotsky",
        "Per size",
        "Control: rival law <code>width-like</code>",
    ] {
        assert!(dom_claim.contains(needle), "the claim page lacks `{needle}`");
    }
    let rendered = started.elapsed() - checked;

    let index_png = screenshot(&index, &dir.join("index.png"));
    assert_not_blank("index", &index_png);
    let claim_png = screenshot(&claim_page, &dir.join("claim.png"));
    assert_not_blank("claim page", &claim_png);
    eprintln!(
        "browser test: check {:.1} s, DOM {:.1} s, screenshots {:.1} s",
        checked.as_secs_f64(),
        rendered.as_secs_f64(),
        (started.elapsed() - checked - rendered).as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A site's files, sorted by name: (name, bytes).
fn read_site(site: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(site)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_site_from_a_certificate_is_byte_identical_across_runs_and_says_how_to_reproduce() {
    let dir = scratch();
    let card = card(&dir);
    let cert = dir.join("cert.json");
    let o = thm(&["check", card.to_str().unwrap(), "--no-store", "--cert", cert.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mut sites = Vec::new();
    for name in ["a", "b/c"] {
        let site = dir.join(name);
        let o = thm(&["report", cert.to_str().unwrap(), "--out", site.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        sites.push(read_site(&site));
    }
    assert_eq!(sites[0], sites[1], "two sites from one certificate differ");
    let names: Vec<&str> = sites[0].iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "depth-efficiency-square.card.html",
            "depth-efficiency-square__deep@quick.html",
            "depth-efficiency-square__shallow@quick.html",
            "index.html"
        ]
    );
    let deep = String::from_utf8(sites[0][1].1.clone()).unwrap();
    assert!(
        deep.contains("<pre><code>thm reproduce cert.json</code></pre>"),
        "no reproduce command"
    );
    let dir_name = dir.to_string_lossy();
    for (name, bytes) in &sites[0] {
        assert!(!String::from_utf8_lossy(bytes).contains(dir_name.as_ref()), "{name} names a path");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `thm merge --report` fits and judges with the code of `thm check`: a plan's shards merged
/// give the site of a one-machine check, byte for byte (a relative `--report` is the caller's).
#[test]
fn a_merged_plan_writes_the_site_of_a_one_machine_check() {
    let dir = scratch();
    let card = card(&dir);
    let card = card.to_str().unwrap();
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_thm")).args(args).current_dir(&dir).output();
        let o = o.expect("the binary runs");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["check", card, "--no-store", "--report", "checked"]);
    run(&["plan", card, "--shards", "2", "--out", "p"]);
    for shard in ["0", "1"] {
        run(&["run-shard", "p/plan.json", "--shard", shard, "--store", "p/store", "-q"]);
    }
    run(&["merge", "p/plan.json", "--store", "p/store", "--report", "merged"]);
    let checked = read_site(&dir.join("checked"));
    assert_eq!(checked.len(), 4, "index, two claim pages and the card's");
    assert!(checked == read_site(&dir.join("merged")), "the merged site differs");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_site_that_cannot_be_written_is_bad_input_naming_the_path() {
    let dir = scratch();
    let card = card(&dir);
    let cert = dir.join("cert.json");
    assert_eq!(
        thm(&["check", card.to_str().unwrap(), "--no-store", "--cert", cert.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let target = file.join("site");
    for args in [
        vec!["report", cert.to_str().unwrap(), "--out", target.to_str().unwrap()],
        vec!["check", card.to_str().unwrap(), "--no-store", "--report", target.to_str().unwrap()],
    ] {
        let o = thm(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(target.to_str().unwrap()), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A certificate that does not parse writes nothing.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let site = dir.join("site");
    let o = thm(&["report", bad.to_str().unwrap(), "--out", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!site.exists(), "a site was started from a bad certificate");
    let _ = std::fs::remove_dir_all(&dir);
}
