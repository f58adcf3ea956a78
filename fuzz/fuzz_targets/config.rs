//! `.declint.yml` parsing on arbitrary text: every input is a config or a located error.
#![no_main]

use declint::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Config::parse(text, ".declint.yml");
    }
});
