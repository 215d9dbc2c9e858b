//! `--format json`: exactly one JSON object, as RULES.md specifies.

use super::Report;
use serde::Serialize;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

pub fn render_json(report: &Report) -> String {
    let out = JsonReport {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                rule: d.rule.id(),
                severity: d.severity.as_str(),
                file: &d.file,
                line: d.pos.line,
                column: d.pos.col,
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
        errors: report.errors(),
        warnings: report.warnings(),
    };
    // Serializing plain strings and integers cannot fail.
    let mut s = serde_json::to_string(&out).expect("JSON of strings and numbers");
    s.push('\n');
    s
}
