//! `trainyard schema`

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The folder to write the schemas to.
    #[arg(long, value_name = "DIR", default_value = "schemas")]
    pub out: PathBuf,
    /// A release repository: its current process version's further checklist
    /// items and criteria go into the hand-off and sign-off schemas.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        return super::fatal(format!("cannot create {}: {e}", args.out.display()));
    }
    let schemas = match &args.root {
        None => crate::schema::schemas(),
        Some(root) => match crate::load::load_scoped(root, &crate::load::Scope::Settings) {
            Ok(l) => crate::schema::for_process(&l.repo.process),
            Err(e) => return super::fatal(e),
        },
    };
    for (name, what, schema) in schemas {
        let path = args.out.join(name);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        if let Err(e) = std::fs::write(&path, text) {
            return super::fatal(format!("cannot write {}: {e}", path.display()));
        }
        outln!("{} ({what})", path.display());
    }
    outln!(
        "\nTo have an editor validate and complete a record, start it with e.g.\n  # yaml-language-server: $schema=../../{}/push.schema.json",
        args.out.display()
    );
    ExitCode::SUCCESS
}
