//! Characters no page may hold: the C0 and C1 controls (but tab, line feed,
//! form feed and carriage return) and the noncharacters U+FFFE and U+FFFF.
//! HTML parsers report them as errors and some show them as boxes or act on
//! them; a record that holds one is shown with U+FFFD in its place.

/// Replace every such character in `page` (UTF-8) with U+FFFD. A page
/// without one, which is every page the records have not put one into, is
/// scanned once and not copied.
pub fn replace_forbidden(page: &mut Vec<u8>) {
    // Most pages hold none: find the first 64-byte chunk that may, without
    // branching on each byte (so the compiler uses vector instructions),
    // then look at that chunk's bytes one by one.
    let chunks = page.chunks_exact(64);
    let tail = (page.len() - chunks.remainder().len(), chunks.remainder());
    let first = chunks
        .enumerate()
        .map(|(n, chunk)| (n * 64, chunk))
        .chain(std::iter::once(tail))
        .filter(|(_, chunk)| may_hold(chunk))
        .map(|(at, chunk)| at..(at + chunk.len() + 2).min(page.len()))
        .find_map(|mut bytes| bytes.find(|&i| forbidden_at(page, i).is_some()));
    let Some(first) = first else {
        return;
    };
    let mut out = Vec::with_capacity(page.len() + 16);
    out.extend_from_slice(&page[..first]);
    let mut i = first;
    while i < page.len() {
        match forbidden_at(page, i) {
            Some(len) => {
                out.extend_from_slice("\u{FFFD}".as_bytes());
                i += len;
            }
            None => {
                out.push(page[i]);
                i += 1;
            }
        }
    }
    *page = out;
}

/// Whether `chunk` holds a byte that may start a forbidden character: a
/// control byte other than tab, line feed, form feed and carriage return,
/// DEL, or the first byte of U+0080–U+00BF or U+F000–U+FFFF.
fn may_hold(chunk: &[u8]) -> bool {
    // A fixed-size block of lanes, each 0 or 1, then their OR: a shape the
    // compiler turns into vector compares.
    let mut lanes = [0u8; 64];
    for (lane, &b) in lanes.iter_mut().zip(chunk) {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0C);
        *lane = u8::from(control | (b == 0x7F) | (b == 0xC2) | (b == 0xEF));
    }
    lanes.iter().fold(0, |any, &lane| any | lane) != 0
}

/// The length in bytes of the forbidden character starting at `i`, if one does.
fn forbidden_at(page: &[u8], i: usize) -> Option<usize> {
    match page[i] {
        b'\t' | b'\n' | b'\r' | 0x0C => None,
        0x00..=0x1F | 0x7F => Some(1),
        // U+0080–U+009F.
        0xC2 if matches!(page.get(i + 1), Some(0x80..=0x9F)) => Some(2),
        // U+FFFE and U+FFFF.
        0xEF if page.get(i + 1) == Some(&0xBF) && matches!(page.get(i + 2), Some(0xBE | 0xBF)) => {
            Some(3)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_become_replacement_characters() {
        let mut page = "<p>a\u{1}b\u{85}c\u{FFFE}d\te\u{FFFD}é</p>\n"
            .as_bytes()
            .to_vec();
        replace_forbidden(&mut page);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<p>a\u{FFFD}b\u{FFFD}c\u{FFFD}d\te\u{FFFD}é</p>\n"
        );
        // At every offset around a 64-byte chunk's end.
        for pad in 58..70 {
            let text = format!("{}\u{FFFE}x\u{1}", "a".repeat(pad));
            let mut page = text.as_bytes().to_vec();
            replace_forbidden(&mut page);
            assert_eq!(
                String::from_utf8(page).unwrap(),
                format!("{}\u{FFFD}x\u{FFFD}", "a".repeat(pad))
            );
        }
        let clean = "<p>Plain — text · × …</p>".as_bytes().to_vec();
        let mut same = clean.clone();
        replace_forbidden(&mut same);
        assert_eq!(same, clean);
    }
}
