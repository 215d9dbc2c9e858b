//! Characters no page may hold: the C0 and C1 controls (but tab, line feed,
//! form feed and carriage return) and the noncharacters U+FFFE and U+FFFF.
//! HTML parsers report them as errors and some show them as boxes or act on
//! them; a record that holds one is shown with U+FFFD in its place.

/// Replace every such character in `page` (UTF-8) with U+FFFD. A page
/// without one, which is every page the records have not put one into, is
/// scanned once and not copied.
pub fn replace_forbidden(page: &mut Vec<u8>) {
    // Most bytes are no candidate at all: a tight scan for the few that
    // can start a forbidden character.
    let candidate = |b: &u8| {
        (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || matches!(b, 0x7F | 0xC2 | 0xEF)
    };
    let mut from = 0;
    loop {
        match page[from..].iter().position(candidate) {
            None => return,
            Some(at) if forbidden_at(page, from + at).is_some() => break,
            Some(at) => from += at + 1,
        }
    }
    let mut out = Vec::with_capacity(page.len() + 16);
    let mut i = 0;
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
        let clean = "<p>Plain — text</p>".as_bytes().to_vec();
        let mut same = clean.clone();
        replace_forbidden(&mut same);
        assert_eq!(same, clean);
    }
}
