//! The one thing a CLI snapshot cannot pin down: that "today" is the UTC date whatever
//! the local time zone says. (The `declint list` and deadline snapshots are in
//! `tests/cmd/`, run by tests/it/cli.rs.)

use std::process::Command;

/// `today` as `declint list --format json` reports it, with `TZ` set to `tz`.
fn reported_today(tz: &str) -> Result<String, Box<dyn std::error::Error>> {
    let output = Command::new(env!("CARGO_BIN_EXE_declint"))
        .args(["list", "--format", "json"])
        .current_dir("fixtures/time")
        .env("TZ", tz)
        .env_remove("DECLINT_TODAY")
        .output()?;
    if !output.status.success() {
        return Err(format!("declint list failed: {output:?}").into());
    }
    let document: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    Ok(document
        .get("today")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string())
}

#[test]
fn today_is_the_utc_date_in_every_time_zone() {
    // UTC+14 and UTC-12 are on different local dates for most of every day; both must
    // report the UTC date. Taking the UTC date before and after allows for midnight.
    for tz in ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"] {
        let before = chrono::Utc::now().date_naive().to_string();
        let today = reported_today(tz).expect("declint list runs");
        let after = chrono::Utc::now().date_naive().to_string();
        assert!(
            today == before || today == after,
            "{tz}: {today} vs {before}"
        );
    }
}
