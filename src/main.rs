/// mimalloc instead of the system allocator: building the site makes many
/// small, short-lived allocations from two threads, where glibc's allocator
/// spent a quarter of the render time (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    trainyard::cli::main()
}
