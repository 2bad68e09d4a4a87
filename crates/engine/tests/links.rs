//! Golden share links: links made by every link schema version keep opening, forever, to the
//! scenario they were made from. Add a folder per new version; never edit an old one.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use resilience_engine::Scenario;
use resilience_engine::scenario::link::{LINK_VERSION, decode};

#[test]
fn golden_links_of_every_version_decode_to_their_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let mut checked = 0;
    for version in 1..=LINK_VERSION {
        let dir = root.join(format!("v{version}"));
        let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("a fixture folder per version").flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::path);
        for entry in entries.iter().filter(|e| e.path().extension().is_some_and(|x| x == "link")) {
            let link = std::fs::read_to_string(entry.path()).unwrap();
            let expected = std::fs::read_to_string(entry.path().with_extension("json")).unwrap();
            let (scenario, _) = decode(&link).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            assert_eq!(scenario, Scenario::from_json(&expected).unwrap(), "{}", entry.path().display());
            checked += 1;
        }
    }
    assert!(checked >= 3, "fixtures found: {checked}");
}
