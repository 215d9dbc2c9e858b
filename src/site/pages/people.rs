//! The roster (`people/index.html`): who holds each role today, with each
//! role's mailing list and each person's role periods; former members apart.

use super::{crumb, Page, PageData, Shared};
use crate::model::people::RoleHeld;
use crate::model::{On, Person};
use serde::Serialize;

#[derive(Serialize)]
pub struct PeopleView<'a> {
    pub roles: Vec<RoleView<'a>>,
    /// People who left the team (after `left`), with what they held.
    pub former: Vec<PersonView<'a>>,
    /// Who drives the trains, in turn (`rotation`).
    pub rotation: Option<RotationView>,
}

/// The release driver rotation: the order, and who drives the next pushes.
#[derive(Serialize)]
pub struct RotationView {
    /// The role's title.
    pub role: String,
    pub from: String,
    /// Names, in turn.
    pub order: Vec<String>,
    /// The next push dates and their drivers.
    pub upcoming: Vec<DriverView>,
}

/// A push date and who drives it (none when no one can).
#[derive(Serialize)]
pub struct DriverView {
    pub date: String,
    pub name: Option<String>,
}

/// How many push dates ahead the people page names the driver of.
const UPCOMING_DRIVERS: usize = 4;

fn rotation(s: &Shared<'_>) -> Option<RotationView> {
    let repo = s.repo;
    let rot = repo.process.rotation.as_ref()?;
    let weekday = repo.process.production_push.weekday;
    let mut day = s.today;
    while chrono::Datelike::weekday(&day) != weekday {
        day = day.succ_opt()?;
    }
    let upcoming = (0..UPCOMING_DRIVERS)
        .filter_map(|k| day.checked_add_days(chrono::Days::new(7 * k as u64)))
        .map(|d| DriverView {
            date: crate::schedule::time::show_date(d),
            name: repo.driver_for(d).map(|p| p.name.value.clone()),
        })
        .collect();
    let name = |h: &String| {
        repo.people
            .get(h)
            .map_or_else(|| h.clone(), |p| p.name.value.clone())
    };
    Some(RotationView {
        role: repo.process.role_title(&rot.role).to_string(),
        from: rot.from.to_string(),
        order: rot.order.iter().map(name).collect(),
        upcoming,
    })
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
    /// Each role with when it was held, as people read it: `dev`,
    /// `dev until 2026-05-31`, `ops from 2026-06-01`.
    pub periods: Vec<String>,
    /// `2026-01-05 – 2026-09-30`, when the roster says when they joined or left.
    pub tenure: Option<String>,
}

fn person_view(p: &Person) -> PersonView<'_> {
    let periods = p
        .roles
        .iter()
        .map(|r| match &r.value {
            RoleHeld::Always(id) => id.clone(),
            RoleHeld::Period(period) => {
                let (from, until) = r.value.bounds();
                match (from, until) {
                    (Some(f), Some(u)) => format!("{} {f} – {u}", period.role.value),
                    (Some(f), None) => format!("{} from {f}", period.role.value),
                    (None, Some(u)) => format!("{} until {u}", period.role.value),
                    (None, None) => period.role.value.clone(),
                }
            }
        })
        .collect();
    let tenure = match p.tenure() {
        (None, None) => None,
        (Some(j), None) => Some(format!("joined {j}")),
        (None, Some(l)) => Some(format!("until {l}")),
        (Some(j), Some(l)) => Some(format!("{j} – {l}")),
    };
    PersonView {
        handle: &p.handle.value,
        name: &p.name.value,
        email: &p.email.value,
        github: p.github.as_ref().map(|g| g.value.as_str()),
        periods,
        tenure,
    }
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
                .with_role(id, On::Day(s.today))
                .map(person_view)
                .collect(),
        })
        .collect();
    let former = repo
        .people
        .list
        .iter()
        .filter(|p| p.has_left(s.today))
        .map(person_view)
        .collect();
    Page {
        path: "people/index.html".into(),
        template: "people.html",
        title: "People".into(),
        nav: "people",
        crumbs: vec![crumb("People", "people/index.html")],
        source: Some("people.yaml".into()),
        data: PageData::People(PeopleView {
            roles,
            former,
            rotation: rotation(s),
        }),
    }
}
