//! `.declint.yml` parsing on arbitrary text: every input is a config or a located error,
//! and that error, rendered the ways the binary renders it (the terminal report on stderr,
//! the GitHub `::error` annotation, the job summary section), carries no raw control
//! character a terminal or the Actions runner would act on (ESC, BEL, CR, any other C0 or
//! C1 control except newline and tab), and its annotation is one line.
#![no_main]

use declint::Config;
use declint::error::ForTerminal;
use declint::output::{github, summary};
use libfuzzer_sys::fuzz_target;

fn assert_inert(what: &str, out: &str) {
    for c in out.chars() {
        assert!(
            c == '\n' || c == '\t' || !c.is_control(),
            "{what}: raw {c:?} in output:\n{out:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Err(error) = Config::parse(text, ".declint.yml") else {
        return;
    };
    // As `main` prints it on stderr (without colour: the escapes of a colour theme are
    // the program's own, not input).
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut report = String::new();
    let shown = ForTerminal(&error);
    if handler.render_report(&mut report, &shown).is_err() {
        report = format!("error: {shown}\n");
    }
    assert_inert("terminal report", &report);
    // As `check` prints it in GitHub mode, and writes it to the job summary.
    let message = error.to_string();
    let help = miette::Diagnostic::help(&error).map(|h| h.to_string());
    let annotation = github::failure_annotation(&message, help.as_deref());
    assert_inert("annotation", &annotation);
    assert!(
        !annotation.contains('\n'),
        "annotation spans lines: {annotation:?}"
    );
    assert_inert(
        "job summary",
        &summary::render_failure(&message, help.as_deref()),
    );
});
