//! "Did you mean …?" suggestions.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn nearest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` or a list of what is allowed.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match nearest(input, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            format!("expected one of {}", all.join(", "))
        }
    }
}

/// "Did you mean `x`? Or …." — a suggestion followed by the other way out.
pub fn did_you_mean_or<'a, I>(input: &str, candidates: I, otherwise: &str) -> String
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    match nearest(input, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`? Or {otherwise}"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            if all.is_empty() {
                otherwise.to_string()
            } else {
                format!("expected one of {}; or {otherwise}", all.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(nearest("stauts", ["status", "url"]), Some("status"));
        assert_eq!(nearest("zzz", ["status", "url"]), None);
        assert_eq!(
            did_you_mean("signof", ["signoff", "push"]),
            "did you mean `signoff`?"
        );
        assert_eq!(did_you_mean("q", ["a", "b"]), "expected one of `a`, `b`");
    }
}
