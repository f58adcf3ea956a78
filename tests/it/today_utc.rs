//! The one thing a CLI snapshot cannot pin down: that "today" is the day in the config's
//! `timezone` (UTC by default) whatever the machine's local time zone says. (The
//! `declint list` and deadline snapshots are in `tests/cmd/`, run by tests/it/cli.rs.)

use std::path::Path;
use std::process::Command;

/// `today` as `declint list --format json` reports it, with `TZ` set to `tz`.
fn reported_today(tz: &str) -> Result<String, Box<dyn std::error::Error>> {
    reported_today_in(Path::new("fixtures/time"), tz)
}

fn reported_today_in(dir: &Path, tz: &str) -> Result<String, Box<dyn std::error::Error>> {
    let output = Command::new(env!("CARGO_BIN_EXE_declint"))
        .args(["list", "--format", "json"])
        .current_dir(dir)
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

#[test]
fn today_is_the_day_in_the_configured_timezone() {
    // Kiritimati (UTC+14) is a day ahead of UTC for 14 hours of every day; with
    // `timezone:` set, that is the day, whatever TZ says.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    std::fs::create_dir(dir.path().join("decisions")).expect("decisions");
    std::fs::write(
        dir.path().join(".declint.yml"),
        "timezone: Pacific/Kiritimati\n",
    )
    .expect("config");
    let zone: chrono_tz::Tz = "Pacific/Kiritimati".parse().expect("zone");
    let day = || {
        chrono::Utc::now()
            .with_timezone(&zone)
            .date_naive()
            .to_string()
    };
    for tz in ["Etc/GMT+12", "UTC"] {
        let before = day();
        let today = reported_today_in(dir.path(), tz).expect("declint list runs");
        let after = day();
        assert!(
            today == before || today == after,
            "{tz}: {today} vs {before}"
        );
    }
}
