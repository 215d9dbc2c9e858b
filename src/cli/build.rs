//! `trainyard build`

use crate::site::{build_into, claim, BuildOptions, Listing};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: public/ under the root]. Replaced as a
    /// whole once the new site is complete.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The absolute URL the site is published at, used for links in the Atom and
    /// calendar feeds (pages always link relatively).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Build as of this time instead of the clock (decides what is due or late).
    /// Without it, SOURCE_DATE_EPOCH is used when set, for reproducible builds.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Print, as JSON, everything the template of one page sees (e.g.
    /// `--context releases/2026-11-30/index.html`) and write nothing: what an
    /// override template in site-templates/ can use.
    #[arg(long, value_name = "PAGE")]
    pub context: Option<String>,
}

pub fn run(args: BuildArgs) -> ExitCode {
    if let Some(url) = &args.base_url {
        if !crate::model::values::is_http_url(url) {
            return super::fatal(format!(
                "--base-url: `{url}` is not an absolute http or https URL"
            ));
        }
    }
    if !crate::load::is_repository(&args.root) {
        return super::fatal(crate::load::LoadError::NotARepository(args.root.clone()));
    }
    if let Some(page) = &args.context {
        return context(&args, page);
    }
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    // Proven safe to replace, and locked, before anything is read or written.
    let claim = match claim(&args.root, &out) {
        Ok(c) => c,
        Err(refusal) => return super::fatal(refusal),
    };
    // The previous site is listed while the records load: it needs nothing else.
    let previous = Listing::start(&claim);
    let (repo, report, opts) = match checked(&args, crate::site::previous_index(&claim)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match build_into(&repo, &report, &opts, &claim, previous) {
        Ok(files) => {
            outln!("built {files} files into {}", out.display());
            if report.errors() > 0 || report.warnings() > 0 {
                outln!(
                    "note: the records have {} error(s) and {} warning(s); the site shows them on the release pages (run `trainyard check`)",
                    report.errors(),
                    report.warnings()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("trainyard: error: {e}");
            eprintln!(
                "  the previous site in {} was left as it was",
                out.display()
            );
            ExitCode::from(1)
        }
    }
}

/// The checked repository and the options a site is built with: what
/// `build` and `build --context` share.
fn checked(
    args: &BuildArgs,
    previous_index: Option<Vec<u8>>,
) -> Result<
    (
        crate::model::ReleaseRepository,
        crate::diagnostics::Report,
        BuildOptions,
    ),
    ExitCode,
> {
    let crate::pipeline::Checked {
        repo,
        report,
        now,
        history,
        ships,
        notes,
        approvals,
    } = crate::pipeline::checked(&args.root, args.now.as_deref(), None).map_err(super::fatal)?;
    super::print_notes(&notes);
    let opts = BuildOptions {
        base_url: args.base_url.clone(),
        now,
        history,
        ships,
        approvals,
        previous_index,
    };
    Ok((repo, report, opts))
}

/// `build --context PAGE`: the page's template context on standard output.
fn context(args: &BuildArgs, page: &str) -> ExitCode {
    let (repo, report, opts) = match checked(args, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let path = page.trim_start_matches("./").trim_start_matches('/');
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    match crate::site::page_context(&repo, &report, &opts, &path) {
        Some(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        None => super::fatal(format!(
            "--context: the site has no page `{page}`\n  help: name a page as the site writes it, e.g. index.html or releases/2026-11-30/index.html"
        )),
    }
}
