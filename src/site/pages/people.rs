//! The roster (`people/index.html`), by role, with each role's mailing list.

use super::{crumb, Page, PageData, Shared};
use serde::Serialize;

#[derive(Serialize)]
pub struct PeopleView<'a> {
    pub roles: Vec<RoleView<'a>>,
}

#[derive(Serialize)]
pub struct RoleView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub list: Option<&'a str>,
    pub people: Vec<PersonView<'a>>,
}

#[derive(Serialize)]
pub struct PersonView<'a> {
    pub handle: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub github: Option<&'a str>,
}

pub fn page<'a>(s: &Shared<'a>) -> Page<'a> {
    let repo = s.repo;
    let roles = repo
        .process
        .roles
        .iter()
        .map(|(id, r)| RoleView {
            id,
            title: &r.title,
            list: r.list.as_deref(),
            people: repo
                .people
                .with_role(id)
                .map(|p| PersonView {
                    handle: &p.handle.value,
                    name: &p.name.value,
                    email: &p.email.value,
                    github: p.github.as_ref().map(|g| g.value.as_str()),
                })
                .collect(),
        })
        .collect();
    Page {
        path: "people/index.html".into(),
        template: "people.html",
        title: "People".into(),
        nav: "people",
        crumbs: vec![crumb("People", "people/index.html")],
        source: Some("people.yaml".into()),
        data: PageData::People(PeopleView { roles }),
    }
}
