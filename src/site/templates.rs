//! The site's templates: built in (compiled from `site-templates/`), each
//! overridable by a file of the same name in the repository's own `site-templates/`.

use std::fmt;
use std::path::Path;
use tera::Tera;

/// The built-in theme, compiled into the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../site-templates/base.html")),
    (
        "index.html",
        include_str!("../../site-templates/index.html"),
    ),
    (
        "releases.html",
        include_str!("../../site-templates/releases.html"),
    ),
    (
        "release.html",
        include_str!("../../site-templates/release.html"),
    ),
    (
        "calendar.html",
        include_str!("../../site-templates/calendar.html"),
    ),
    (
        "questions.html",
        include_str!("../../site-templates/questions.html"),
    ),
    (
        "process.html",
        include_str!("../../site-templates/process.html"),
    ),
    (
        "people.html",
        include_str!("../../site-templates/people.html"),
    ),
    (
        "stats.html",
        include_str!("../../site-templates/stats.html"),
    ),
    (
        "search.html",
        include_str!("../../site-templates/search.html"),
    ),
    (
        "milestones.html",
        include_str!("../../site-templates/milestones.html"),
    ),
    (
        "diagnostics.html",
        include_str!("../../site-templates/diagnostics.html"),
    ),
    (
        "history.html",
        include_str!("../../site-templates/history.html"),
    ),
    ("bugs.html", include_str!("../../site-templates/bugs.html")),
];

/// The stylesheet, overridable as `site-templates/style.css`.
pub const STYLESHEET: &str = include_str!("../../site-templates/style.css");

/// A template that could not be loaded or rendered.
#[derive(Debug)]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template `{}`: {}", self.template, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// The whole error chain, which is where tera puts the line and the cause.
pub fn describe(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

pub struct Templates {
    pub tera: Tera,
    pub stylesheet: String,
    /// Names of templates the repository overrides.
    pub overridden: Vec<String>,
}

/// Load the built-in templates and the repository's overrides from `root/site-templates`.
pub fn load(root: &Path) -> Result<Templates, TemplateError> {
    let mut sources: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    let mut overridden = Vec::new();
    let mut stylesheet = STYLESHEET.to_string();
    for (name, text) in overrides(root)? {
        if name == "style.css" {
            stylesheet = text;
            overridden.push(name);
        } else if name.ends_with(".html") {
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => sources.push((name.clone(), text)),
            }
            overridden.push(name);
        }
    }
    let mut tera = Tera::new();
    if let Err(all) = tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
    {
        // Find the template at fault: add each one alone, with the built-in theme
        // standing in for the others so `extends` and `include` resolve.
        for (name, text) in &sources {
            let mut probe = Tera::new();
            let others = sources.iter().filter(|(n, _)| n != name).map(|(n, own)| {
                let builtin = BUILTIN.iter().find(|(b, _)| b == n).map(|(_, t)| *t);
                (n.as_str(), builtin.unwrap_or(own.as_str()))
            });
            if let Err(e) = probe
                .add_raw_templates(others.chain(std::iter::once((name.as_str(), text.as_str()))))
            {
                return Err(TemplateError {
                    template: template_label(name, &overridden),
                    message: describe(&e),
                });
            }
        }
        return Err(TemplateError {
            template: "site-templates".into(),
            message: describe(&all),
        });
    }
    Ok(Templates {
        tera,
        stylesheet,
        overridden,
    })
}

/// The repository's own `site-templates/` files, by name, read through the
/// sandbox: a link or anything but a regular file is left out (`check`
/// reports it as `file-name`), so no file outside the repository is ever
/// published as a template or the stylesheet.
fn overrides(root: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    const DIR: &str = "site-templates";
    // A linked site-templates/ is not listed at all.
    if !std::fs::symlink_metadata(root.join(DIR)).is_ok_and(|m| m.is_dir()) {
        return Ok(Vec::new());
    }
    let Ok(entries) = std::fs::read_dir(root.join(DIR)) else {
        return Ok(Vec::new());
    };
    let repo = crate::sandbox::RepoDir::new(root).map_err(|e| TemplateError {
        template: DIR.into(),
        message: format!("cannot open the repository: {e}"),
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let rel = format!("{DIR}/{name}");
        let bytes = match repo.read(&rel, crate::sandbox::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(crate::sandbox::ReadError::Refused(
                crate::sandbox::Refused::Link | crate::sandbox::Refused::NotAFile,
            )) => continue,
            Err(crate::sandbox::ReadError::Refused(why)) => {
                return Err(TemplateError {
                    template: rel,
                    message: format!("cannot read: {why}"),
                })
            }
            Err(crate::sandbox::ReadError::TooBig(size)) => {
                return Err(TemplateError {
                    template: rel,
                    message: format!("{size} bytes; templates are read up to 1 MiB"),
                })
            }
        };
        let text = String::from_utf8(bytes).map_err(|_| TemplateError {
            template: rel.clone(),
            message: "not UTF-8 text".into(),
        })?;
        out.push((name, text));
    }
    Ok(out)
}

pub fn template_label(name: &str, overridden: &[String]) -> String {
    if overridden.iter().any(|o| o == name) {
        format!("site-templates/{name} (the repository's override)")
    } else {
        format!("{name} (built in)")
    }
}
