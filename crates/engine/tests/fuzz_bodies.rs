#![cfg(not(target_arch = "wasm32"))]
//! The fuzz targets' bodies (`resilience_engine::fuzzing`, also run by `crates/engine/fuzz`
//! under cargo-fuzz) fed on stable: the seed corpus (every example scenario and golden share
//! link), then proptest-generated mutations of it and arbitrary bytes. None may panic.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use resilience_engine::examples;
use resilience_engine::fuzzing::{self, Reached};

/// Every example scenario, as the bytes of its JSON.
fn scenario_seeds() -> Vec<Vec<u8>> {
    examples::ALL.iter().chain(examples::BENCH).map(|(_, json)| json.as_bytes().to_vec()).collect()
}

/// Every golden share link, as its bytes.
fn link_seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let mut links = Vec::new();
    for folder in std::fs::read_dir(root).expect("fixtures").flatten() {
        for entry in std::fs::read_dir(folder.path()).expect("a version folder").flatten() {
            if entry.path().extension().is_some_and(|x| x == "link") {
                links.push(std::fs::read(entry.path()).expect("readable"));
            }
        }
    }
    links.sort();
    links
}

/// One byte-level mutation, as a fuzzer makes them.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace the byte at a position (taken modulo the length).
    Set(usize, u8),
    /// Insert bytes at a position.
    Insert(usize, Vec<u8>),
    /// Remove up to `n` bytes from a position.
    Remove(usize, usize),
    /// Cut the input at a position.
    Truncate(usize),
    /// Repeat a slice in place (long lists, deep nesting).
    Repeat(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop_oneof![
        any::<u8>(),
        Just(b'{'),
        Just(b'['),
        Just(b'"'),
        Just(b'0'),
        Just(b'9'),
        Just(b'-'),
        Just(b','),
        Just(0xff),
    ];
    prop_oneof![
        (any::<usize>(), interesting).prop_map(|(at, byte)| Edit::Set(at, byte)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        (any::<usize>(), 1..64_usize).prop_map(|(at, n)| Edit::Remove(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 1..32_usize, 2..64_usize).prop_map(|(at, n, times)| Edit::Repeat(at, n, times)),
    ]
}

/// `bytes` with `edit` applied.
fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match edit {
        Edit::Set(i, byte) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] = *byte;
            }
        }
        Edit::Insert(i, new) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, new.iter().copied());
        }
        Edit::Remove(i, n) => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Edit::Truncate(i) => bytes.truncate(at(*i, bytes.len())),
        Edit::Repeat(i, n, times) => {
            let i = at(*i, bytes.len());
            let slice: Vec<u8> = bytes[i..(i + n).min(bytes.len())].to_vec();
            let repeated = slice.repeat(*times);
            bytes.splice(i..i, repeated);
        }
    }
}

/// A seed picked by `pick`, with `edits` applied.
fn mutated(seeds: &[Vec<u8>], pick: usize, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = seeds[pick % seeds.len()].clone();
    for e in edits {
        apply(&mut bytes, e);
    }
    bytes
}

/// A JSON document as a plain (`j1.`) share link, so mutations of the JSON reach the link's
/// own document reader.
fn as_plain_link(json: &[u8]) -> Vec<u8> {
    let payload = format!("{{\"scenario\":{}}}", String::from_utf8_lossy(json));
    format!("j1.{}", URL_SAFE_NO_PAD.encode(payload)).into_bytes()
}

#[test]
fn every_seed_gets_through_its_parser_and_runs_within_the_budgets() {
    for seed in scenario_seeds() {
        let reached = fuzzing::scenario_json(&seed);
        assert!(matches!(reached, Reached::Ran | Reached::Stopped), "{reached:?}");
        assert_eq!(fuzzing::import_file(&seed), reached);
        assert_eq!(fuzzing::link_payload(&as_plain_link(&seed)), reached);
    }
    let links = link_seeds();
    assert!(links.len() >= 3, "golden links: {}", links.len());
    for link in links {
        assert!(matches!(fuzzing::link_payload(&link), Reached::Ran | Reached::Stopped));
    }
}

#[test]
fn hostile_edge_inputs_are_refused_without_panicking() {
    let oversized = vec![b' '; fuzzing::FILE_BYTES_MAX + 1];
    for input in [&b""[..], b"\xef\xbb\xbf", b"[]", b"null", b"{", b"\xff{}", b"{\"version\":7}", &oversized] {
        assert_eq!(fuzzing::scenario_json(input), Reached::Refused);
        assert_eq!(fuzzing::import_file(input), Reached::Refused);
        assert_eq!(fuzzing::link_payload(input), Reached::Refused);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(pick in any::<usize>(), edits in prop::collection::vec(edit(), 1..6)) {
        let bytes = mutated(&scenario_seeds(), pick, &edits);
        let _ = fuzzing::scenario_json(&bytes);
        let _ = fuzzing::import_file(&bytes);
        let _ = fuzzing::link_payload(&as_plain_link(&bytes));
    }

    #[test]
    fn mutated_links_never_panic(pick in any::<usize>(), edits in prop::collection::vec(edit(), 1..6)) {
        let _ = fuzzing::link_payload(&mutated(&link_seeds(), pick, &edits));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = fuzzing::scenario_json(&bytes);
        let _ = fuzzing::import_file(&bytes);
        let _ = fuzzing::link_payload(&bytes);
    }
}
