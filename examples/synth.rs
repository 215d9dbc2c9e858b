//! Write a synthetic release repository: `cargo run --release --example synth -- YEARS DIR`,
//! or with a history of change: `… -- YEARS DIR VERSIONS PEOPLE` (that many versions of the
//! process and people with role periods).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(years), Some(dir)) = (args.first().and_then(|y| y.parse().ok()), args.get(1)) else {
        eprintln!("usage: synth YEARS DIR");
        return std::process::ExitCode::from(2);
    };
    let changes: Vec<u32> = args[2..].iter().filter_map(|a| a.parse().ok()).collect();
    let dir = std::path::Path::new(dir);
    let written = trainyard::synth::write_repository(dir, years).and_then(|()| match changes[..] {
        [versions, people] => trainyard::synth::write_changes(dir, years, versions, people),
        _ => Ok(()),
    });
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
