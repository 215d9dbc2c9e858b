//! `trainyard codeowners`

use crate::git::codeowners::{generate, PATH};
use crate::load;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CodeownersArgs {
    /// The release repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Write .github/CODEOWNERS instead of printing it.
    #[arg(long)]
    pub write: bool,
}

pub fn run(args: CodeownersArgs) -> ExitCode {
    let loaded = match load::load(&args.root) {
        Ok(l) => l,
        Err(e) => return super::fatal(e),
    };
    let text = generate(&loaded.repo, super::today(&loaded.repo));
    if !args.write {
        out!("{text}");
        return ExitCode::SUCCESS;
    }
    let path = args.root.join(PATH);
    let written = path
        .parent()
        .map(std::fs::create_dir_all)
        .transpose()
        .and_then(|_| std::fs::write(&path, &text));
    match written {
        Ok(()) => {
            outln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => super::fatal(format!("cannot write {}: {e}", path.display())),
    }
}
