//! Write a synthetic release repository: `cargo run --release --example synth -- YEARS DIR`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(years), Some(dir)) = (args.first().and_then(|y| y.parse().ok()), args.get(1)) else {
        eprintln!("usage: synth YEARS DIR");
        return std::process::ExitCode::from(2);
    };
    match trainyard::synth::write_repository(std::path::Path::new(dir), years) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
