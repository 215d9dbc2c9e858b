//! The quick reader against serde-saphyr: wherever the quick reader gives a
//! value, serde-saphyr must give the same one, positions included.

use super::{parse, quick};
use crate::model::{Handoff, Push, Signoff, Staging, TrainFile};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::path::Path;

/// Whether the quick reader took `text` as a `T`; panics if it took it
/// differently from serde-saphyr.
fn agree<T: DeserializeOwned + Debug>(text: &str) -> bool {
    let Some(fast) = quick::<T>(text) else {
        return false;
    };
    match parse::<T>(text, "record.yaml") {
        Ok(slow) => assert_eq!(
            format!("{fast:?}"),
            format!("{slow:?}"),
            "the quick reader and serde-saphyr differ on:\n{text}"
        ),
        Err(e) => panic!(
            "the quick reader accepted what serde-saphyr rejects ({}):\n{text}",
            e.message
        ),
    }
    true
}

/// [`agree`] for the record kind a file name stands for.
fn agree_as(name: &str, text: &str) -> bool {
    match name {
        "train.yaml" => agree::<TrainFile>(text),
        "staging.yaml" => agree::<Staging>(text),
        "signoff.yaml" => agree::<Signoff>(text),
        "push.yaml" => agree::<Push>(text),
        _ => agree::<Handoff>(text),
    }
}

/// Every record under `dir/releases`, by file name.
fn records(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir.join("releases"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(e.path()).expect("a record is readable"),
            )
        })
        .collect()
}

const HANDOFF: &str = include_str!("../../../releases/2026-10-26/handoffs/token-server.yaml");
const SIGNOFF: &str = include_str!("../../../releases/2026-10-26/signoff.yaml");
const PUSH: &str = include_str!("../../../releases/2026-10-26/push.yaml");
const TRAIN: &str = include_str!("../../../releases/2026-10-26/train.yaml");
const STAGING: &str = include_str!("../../../releases/2026-10-26/staging.yaml");

#[test]
fn a_generated_history_takes_the_quick_path_and_agrees() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    crate::synth::write_repository(dir.path(), 2).expect("the synthetic repository is written");
    let all = records(dir.path());
    assert!(all.len() > 500, "{} records", all.len());
    for (name, text) in &all {
        assert!(agree_as(name, text), "{name} went to serde-saphyr:\n{text}");
    }
}

#[test]
fn this_repositorys_records_take_the_quick_path_and_agree() {
    let all = records(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(!all.is_empty());
    for (name, text) in &all {
        assert!(agree_as(name, text), "{name} went to serde-saphyr:\n{text}");
    }
}

#[test]
fn the_written_forms_of_the_shape_agree() {
    let quick_ones = [
        "pushed_by: tess # who\npushed_at: '2026-01-02 15:30'\n",
        "pushed_by:   \"tess\"   \npushed_at: 2026-01-02 15:30\n",
        "# a comment first\n\npushed_by: tess\n  # an indented comment\npushed_at: 'it''s late'\n",
        "pushed_by: a#b\npushed_at: x, y [z] {w}\n",
        "pushed_by: ''\npushed_at: '''quoted'''\n",
    ];
    for text in quick_ones {
        assert!(agree::<Staging>(&format!("{text}notices: []\n")), "{text}");
    }
    let push = "pushed_by: p\nstarted_at: s\nfinished_at: f\n";
    for present in [
        "present: { dev: [d], test: [ t ,u ], ops: ['o'] }\n",
        "present: {dev: [\"d\"], test: [t], ops: []}\n",
        "present:\n  dev: [d]\n  test:\n  - t\n  ops:\n    - o\n",
        "present:\n    dev:\n      - d\n    ops: [o] # trailing\n",
        "present: {}\n",
    ] {
        assert!(agree::<Push>(&format!("{push}{present}")), "{present}");
    }
    let slow_ones = [
        "pushed_by: &a tess\npushed_at: *a\n",
        "pushed_by: !!str tess\npushed_at: x\n",
        "pushed_by: |\n  tess\npushed_at: x\n",
        "pushed_by: tess\n  more\npushed_at: x\n",
        "pushed_by: \"t\\u00e9ss\"\npushed_at: x\n",
        "pushed_by: tëss\npushed_at: x\n",
        "pushed_by:\ttess\npushed_at: x\n",
        "pushed_by: tess\r\npushed_at: x\r\n",
        "---\npushed_by: tess\npushed_at: x\n",
        "pushed_by: tess\npushed_by: again\npushed_at: x\n",
        "pushed_by: [a,\n  b]\npushed_at: x\n",
        "\"pushed_by\": tess\npushed_at: x\n",
        "pushed_by: null\npushed_at: x\n",
        "pushed_by: a: b\npushed_at: x\n",
        "pushed_by: 'a' b\npushed_at: x\n",
        "pushed_by: 'a'#c\npushed_at: x\n",
        "? pushed_by\n: tess\npushed_at: x\n",
        "  pushed_by: tess\n  pushed_at: x\n",
    ];
    for text in slow_ones {
        assert!(!agree::<Staging>(text), "the quick reader took:\n{text}");
    }
}

#[test]
fn scalars_are_typed_as_serde_saphyr_types_them() {
    let base = "by: t\nat: a\ndecision: go\nregression: pass\ncross_environment: pass\ntest_plan: pass\nnotified_at: n\n";
    for load in [
        "load_test: { required: true }\n",
        "load_test: { required: false, environment: stage }\n",
        "load_test: { required: True }\n",
        "load_test: { required: yes }\n",
        "load_test: { required: \"true\" }\n",
        "load_test: { required: 1 }\n",
        "load_test: { required: ~ }\n",
        "load_test: { required: true, signed_off_by: null }\n",
        "load_test: { required: true, signed_off_by: ~ }\n",
        "load_test: { required: true, signed_off_by: 'null' }\n",
        "load_test: { required: true, signed_off_by: nUll }\n",
        "load_test: { required: true, environment: 'stage' }\n",
        "load_test: { required: true, environment: Stage }\n",
        "load_test: { required: true, environment: null }\n",
    ] {
        agree::<Signoff>(&format!("{base}{load}"));
    }
    for text in [
        "12:30",
        "0o17",
        "1e3",
        ".5",
        "+.inf",
        "0b101",
        "1_0",
        "true",
        "yes",
        "Null",
        "nUll",
        "2001-12-14t21:59:43.10-05:00",
        "=",
        "<<",
        "a\\b",
        "x #y",
        "x#y",
        "'q'",
        "\"q\"",
        "~",
        "",
    ] {
        agree::<Staging>(&format!("pushed_by: {text}\npushed_at: x\n"));
    }
    let handoff = HANDOFF
        .lines()
        .filter(|l| !l.starts_with("deploy_bugs"))
        .collect::<Vec<_>>()
        .join("\n");
    for bugs in [
        "[1234, 'bug 99', \"7\", https://bugs.example.com/1]",
        "[0, 007, +5, -5, 1.5, 0x1f, 1_000, true, no, ~, .inf, 99999999999999999999999]",
        "[]",
    ] {
        agree::<Handoff>(&format!("{handoff}\ndeploy_bugs: {bugs}\n"));
    }
}

/// Text that means something in YAML, and some that does not.
const PIECES: &[&str] = &[
    " ", "\n", ":", "-", "#", "'", "\"", "[", "]", "{", "}", ",", "~", "&", "*", "!", "|", ">",
    "%", "@", "`", "?", "\\", "\t", "a", "b", "0", "1", "9", ".", "_", ": ", " #", "- ", "\n  ",
    "\n- ", "''", "null", "true", "x: y", "{}", "[]", "\n---\n", "\r\n", "\u{e9}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Damaged records: whatever the quick reader accepts, serde-saphyr reads
    /// the same way.
    #[test]
    fn damaged_records_agree(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(PIECES)), 1..4),
    ) {
        let (name, text) = [
            ("token-server.yaml", HANDOFF),
            ("signoff.yaml", SIGNOFF),
            ("push.yaml", PUSH),
            ("train.yaml", TRAIN),
            ("staging.yaml", STAGING),
        ][which];
        // Edits land on character boundaries (a piece may be non-ASCII).
        let mut text = text.to_string();
        for (at, op, piece) in edits {
            let i = at.index(text.len() + 1);
            let i = (0..=i).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let end = (i + 1..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
            match op {
                0 => text.insert_str(i, piece),
                1 => text.replace_range(i..end, piece),
                _ => text.replace_range(i..end, ""),
            }
        }
        agree_as(name, &text);
    }
}
