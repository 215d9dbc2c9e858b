#!/usr/bin/env bash
# Install a released trainyard binary for this runner (the composite action's
# first step; also usable on its own). Downloads the archive for the runner's
# OS and architecture and the release's SHA256SUMS, refuses the binary unless
# its SHA-256 is the one listed, and puts it on the PATH through the tool cache.
#
# Environment (GitHub Actions sets the RUNNER_* and GITHUB_* ones):
#   TRAINYARD_VERSION        the release tag, e.g. v0.2.0 (required)
#   TRAINYARD_REPOSITORY     OWNER/NAME that publishes the releases (required
#                            unless TRAINYARD_DOWNLOAD_BASE is set)
#   TRAINYARD_DOWNLOAD_BASE  where the release's files are (default: its
#                            GitHub release download URL)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_PATH
set -euo pipefail

fail() {
  echo "::error title=trainyard::$*" >&2
  exit 1
}

version="${TRAINYARD_VERSION:-}"
[ -n "$version" ] || fail "no version: set the action's \`version\` input (a release tag such as v0.2.0)"
[[ "$version" =~ ^v[0-9][0-9A-Za-z.+-]*$ ]] ||
  fail "\"$version\" is not a trainyard release: use the action at a release tag (@v0.2.0), or set its \`version\` input to one when you pin it to a commit or branch"
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "no trainyard binary for a ${RUNNER_OS:-unknown} ${RUNNER_ARCH:-unknown} runner (there are binaries for Linux X64/ARM64, macOS X64/ARM64 and Windows X64); build it instead: cargo install --locked --git https://github.com/${TRAINYARD_REPOSITORY:-trainyard-rs/trainyard} trainyard" ;;
esac
exe=trainyard
[ "${RUNNER_OS}" = Windows ] && exe=trainyard.exe
archive="trainyard-${version}-${target}.tar.gz"
base="${TRAINYARD_DOWNLOAD_BASE:-}"
if [ -z "$base" ]; then
  [ -n "${TRAINYARD_REPOSITORY:-}" ] || fail "no repository to download from (TRAINYARD_REPOSITORY)"
  base="https://github.com/${TRAINYARD_REPOSITORY}/releases/download/${version}"
fi

cache="${RUNNER_TOOL_CACHE:-${TMPDIR:-/tmp}}/trainyard/${version#v}/${target}"
if [ -x "$cache/$exe" ]; then
  echo "trainyard ${version} (${target}) from the tool cache"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  curl -fsSL --retry 3 -o "$work/$archive" "$base/$archive" ||
    fail "cannot download $base/$archive"
  curl -fsSL --retry 3 -o "$work/SHA256SUMS" "$base/SHA256SUMS" ||
    fail "cannot download $base/SHA256SUMS"
  want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")
  [ -n "$want" ] || fail "SHA256SUMS does not list $archive"
  if command -v sha256sum >/dev/null; then
    got=$(sha256sum "$work/$archive" | awk '{ print $1 }')
  else
    got=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
  fi
  [ "$got" = "$want" ] ||
    fail "checksum mismatch for $archive: SHA256SUMS says $want, the download is $got; not installed"
  mkdir -p "$work/x"
  tar -xzf "$work/$archive" -C "$work/x"
  [ -f "$work/x/$exe" ] || fail "$archive holds no $exe"
  mkdir -p "$cache"
  cp "$work/x/$exe" "$cache/$exe"
  chmod +x "$cache/$exe"
  echo "trainyard ${version} (${target}) verified and installed"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$cache" >> "$GITHUB_PATH"
fi
