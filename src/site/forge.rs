//! Links into the forge that hosts the release repository (`site.repository`,
//! FORMAT.md): "Edit" a page's source in the forge's editor, and "Record …"
//! a new record, prefilled with exactly the text `trainyard new` writes
//! ([`crate::scaffold`]). URL forms are SITE.md's, every parameter
//! percent-encoded per RFC 3986.

use crate::model::process::{Forge as Kind, Process};
use crate::scaffold::Scaffold;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path: components encoded, `/` kept between them.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// The release repository on its forge.
#[derive(Debug, Clone)]
pub struct Forge<'a> {
    kind: Kind,
    /// The repository's page, without a trailing `/`.
    repository: &'a str,
    branch: &'a str,
}

impl<'a> Forge<'a> {
    /// The forge, when `site.repository` is set (and its kind known).
    pub fn of(process: &'a Process) -> Option<Forge<'a>> {
        let site = &process.site;
        Some(Forge {
            kind: site.forge?,
            repository: site.repository.as_deref()?.trim_end_matches('/'),
            branch: &site.branch,
        })
    }

    /// The forge's editor for the file at `path` (relative to the root).
    pub fn edit(&self, path: &str) -> String {
        let branch = utf8_percent_encode(self.branch, COMPONENT);
        let path = utf8_percent_encode(path, PATH);
        match self.kind {
            Kind::Github => format!("{}/edit/{branch}/{path}", self.repository),
            Kind::Gitlab => format!("{}/-/edit/{branch}/{path}", self.repository),
        }
    }

    /// The forge's "new file" page for `record`, its name and text filled in.
    pub fn new_file(&self, record: &Scaffold) -> String {
        let branch = utf8_percent_encode(self.branch, COMPONENT);
        let path = utf8_percent_encode(&record.path, COMPONENT);
        let text = utf8_percent_encode(&record.text, COMPONENT);
        match self.kind {
            Kind::Github => format!(
                "{}/new/{branch}?filename={path}&value={text}",
                self.repository
            ),
            Kind::Gitlab => format!(
                "{}/-/new/{branch}?file_name={path}&content={text}",
                self.repository
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forge(kind: Kind) -> Forge<'static> {
        Forge {
            kind,
            repository: "https://github.com/example/releases",
            branch: "main",
        }
    }

    #[test]
    fn the_url_forms_of_site_md() {
        let record = Scaffold {
            path: "releases/2026-11-30/signoff.yaml".into(),
            text: "by: \"<fill in: x>\"\nat: 2026-11-27 16:00 # ok & done\n".into(),
        };
        assert_eq!(
            forge(Kind::Github).new_file(&record),
            "https://github.com/example/releases/new/main?filename=releases%2F2026-11-30%2Fsignoff.yaml&value=by%3A%20%22%3Cfill%20in%3A%20x%3E%22%0Aat%3A%202026-11-27%2016%3A00%20%23%20ok%20%26%20done%0A"
        );
        assert_eq!(
            forge(Kind::Gitlab).new_file(&record),
            "https://github.com/example/releases/-/new/main?file_name=releases%2F2026-11-30%2Fsignoff.yaml&content=by%3A%20%22%3Cfill%20in%3A%20x%3E%22%0Aat%3A%202026-11-27%2016%3A00%20%23%20ok%20%26%20done%0A"
        );
        assert_eq!(
            forge(Kind::Github).edit("releases/2026-11-30/train.yaml"),
            "https://github.com/example/releases/edit/main/releases/2026-11-30/train.yaml"
        );
        assert_eq!(
            forge(Kind::Gitlab).edit("questions/0001-a b.md"),
            "https://github.com/example/releases/-/edit/main/questions/0001-a%20b.md"
        );
    }
}
