//! The W3C validator's own test cases (half of them, in `tests/cases/`): each
//! file names a message that must (or, with `!`, must not) be reported.
//! Agreement must reach 97% in each folder, and the disagreements must be
//! exactly those listed in `tests/known_disagreements.txt`.

use feedloom_validate::{Options, Problem, validate};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

struct Expect {
    negate: bool,
    class: String,
    params: Vec<(String, String)>,
}

fn expectation(text: &str) -> Option<Expect> {
    let re = regex::Regex::new(
        r"<!--\s*Description:\s*(?:.*?)\s*Expect:\s*(!?)(\w*)(?:\{(.*?)\})?\s*-->",
    )
    .ok()?;
    let c = re.captures(text)?;
    let params = c.get(3).map_or(vec![], |m| {
        m.as_str()
            .split(',')
            .filter_map(|kv| {
                kv.trim_start()
                    .split_once(':')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    });
    Some(Expect {
        negate: &c[1] == "!",
        class: c[2].to_string(),
        params,
    })
}

fn param_matches(p: &Problem, k: &str, v: &str) -> bool {
    match k {
        "line" => p.line.to_string() == v,
        "column" => p.column.to_string() == v,
        _ => p.param(k) == Some(v),
    }
}

/// Whether the report agrees with the case's expectation.
fn agrees(exp: &Expect, problems: &[Problem]) -> bool {
    let hit =
        |p: &&Problem| p.is_a(&exp.class) && exp.params.iter().all(|(k, v)| param_matches(p, k, v));
    if exp.negate {
        !problems
            .iter()
            .filter(|p| {
                !(exp.class == "Message"
                    && (p.is_a("SelfDoesntMatchLocation") || p.is_a("MissingSelf")))
            })
            .any(|p| hit(&p))
    } else {
        problems.iter().any(|p| hit(&p))
    }
}

#[test]
fn w3c_cases_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let known_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known_disagreements.txt"),
    )
    .unwrap_or_default();
    let known: BTreeMap<String, String> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once('\t')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    let mut per_folder: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    for folder in ["atom", "rss", "rss20", "ext"] {
        let mut list = Vec::new();
        files(&root.join(folder), &mut list);
        list.sort();
        for f in list {
            let rel = f
                .strip_prefix(&root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let bytes = std::fs::read(&f).unwrap_or_default();
            let Some(exp) = expectation(&String::from_utf8_lossy(&bytes)) else {
                continue;
            };
            let opts = Options::default()
                .with_base(format!("http://www.feedvalidator.org/testcases/{rel}"))
                .with_notices(true)
                .with_encoding("US-ASCII");
            let report = validate(&bytes, &opts);
            let ok = agrees(&exp, &report.problems);
            let e = per_folder.entry(folder.to_string()).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else {
                let got: Vec<&str> = report.problems.iter().map(|p| p.class).collect();
                let want = format!(
                    "{}{}{:?}",
                    if exp.negate { "!" } else { "" },
                    exp.class,
                    exp.params
                );
                failures.insert(rel, format!("expected {want}, got {got:?}"));
            }
        }
    }
    for (folder, (ok, total)) in &per_folder {
        eprintln!(
            "{folder}: {ok}/{total} = {:.1}%",
            100.0 * *ok as f64 / *total as f64
        );
    }
    let new: Vec<String> = failures
        .iter()
        .filter(|(f, _)| !known.contains_key(*f))
        .map(|(f, why)| format!("{f}\t{why}"))
        .collect();
    let fixed: Vec<&String> = known
        .keys()
        .filter(|f| !failures.contains_key(*f))
        .collect();
    assert!(
        new.is_empty(),
        "new disagreements (add a fix or list them):\n{}",
        new.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "listed disagreements that now agree (remove them): {fixed:?}"
    );
    for (folder, (ok, total)) in &per_folder {
        assert!(
            *ok as f64 >= 0.97 * *total as f64,
            "{folder}: agreement {ok}/{total} is below 97%"
        );
    }
}
