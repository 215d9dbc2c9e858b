//! The GitHub workflows `trainyard init` writes (check, pages, deploy). Each
//! runs trainyard through its GitHub Action, a release binary verified against
//! the release's SHA256SUMS, so a team's CI compiles nothing; or, with
//! `--from-source`, builds it once with `cargo install --locked --git` and
//! keeps it in the Actions cache.
//!
//! Each template holds one `@@TRAINYARD@@` line where the trainyard step goes.

use std::sync::LazyLock;

/// Where trainyard is published; the action, the releases and the source all
/// live there (Cargo.toml `repository`).
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const PLACEHOLDER: &str = "@@TRAINYARD@@";

/// How the written workflows get trainyard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// `uses: OWNER/NAME@REF`: the action at a release tag.
    Action(String),
    /// `cargo install --locked --git REPOSITORY --tag vVERSION`.
    Source,
}

/// `OWNER/NAME[/PATH]@REF`, in the characters GitHub allows in each part.
/// Nothing else can reach the YAML (no quote, space, `#` or line break).
static ACTION_REF: LazyLock<regex::Regex> = LazyLock::new(|| {
    // A literal pattern that is valid: compiling it cannot fail.
    regex::Regex::new(
        r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*@[A-Za-z0-9._/-]+$",
    )
    .expect("valid pattern")
});

/// `OWNER/NAME` of the repository trainyard is published under.
fn owner_and_name() -> &'static str {
    REPOSITORY
        .strip_prefix("https://github.com/")
        .unwrap_or(REPOSITORY)
}

/// The action of the trainyard release this binary is, `OWNER/NAME@vX.Y.Z`:
/// the workflows use the same version that wrote them (and the schemas
/// beside them).
pub fn released_action() -> String {
    format!("{}@v{VERSION}", owner_and_name())
}

/// `--action OWNER/NAME@REF` (a fork, a mirror, a commit SHA), checked.
pub fn action_reference(spec: &str) -> Result<String, String> {
    if ACTION_REF.is_match(spec) {
        Ok(spec.to_owned())
    } else {
        Err(format!(
            "not an action reference\n  help: write OWNER/NAME@REF, for example {}",
            released_action()
        ))
    }
}

/// One workflow's trainyard step: its title, the command and its arguments
/// (a GitHub expression where they depend on the event).
struct Invocation {
    name: &'static str,
    command: &'static str,
    args: &'static str,
    /// The step's `env:` lines (the secrets of notify and remind).
    env: &'static str,
}

/// The secrets `notify` and `remind` read, from the repository's secrets.
const SECRETS: &str = "TRAINYARD_SLACK_URL: ${{ secrets.TRAINYARD_SLACK_URL }}
          TRAINYARD_MATRIX_TOKEN: ${{ secrets.TRAINYARD_MATRIX_TOKEN }}
          TRAINYARD_HOOK_URL: ${{ secrets.TRAINYARD_HOOK_URL }}
          TRAINYARD_SMTP_URL: ${{ secrets.TRAINYARD_SMTP_URL }}
          TRAINYARD_SMTP_USER: ${{ secrets.TRAINYARD_SMTP_USER }}
          TRAINYARD_SMTP_PASSWORD: ${{ secrets.TRAINYARD_SMTP_PASSWORD }}";

const CHECK: Invocation = Invocation {
    name: "trainyard check",
    command: "check",
    args: "${{ github.base_ref && format('--base origin/{0}', github.base_ref) || '' }}",
    env: "",
};
const PAGES: Invocation = Invocation {
    name: "Build the site",
    command: "build",
    args: "--out public --base-url ${{ steps.pages.outputs.base_url }}",
    env: "",
};
const DEPLOY: Invocation = Invocation {
    name: "May the production push start now? (trainyard gate)",
    command: "gate",
    args: "production ${{ inputs.train && format('--train {0}', inputs.train) || '' }}",
    env: "",
};
const NOTIFY: Invocation = Invocation {
    name: "Tell the team what this push recorded (trainyard notify)",
    command: "notify",
    args: "--send --base ${{ github.event.before }}",
    env: SECRETS,
};
const REMIND: Invocation = Invocation {
    name: "Send this hour's reminders (trainyard remind)",
    command: "remind",
    args: "--send --since 1h --now ${{ steps.hour.outputs.now }}",
    env: SECRETS,
};

const TEMPLATES: [(&str, &str, Invocation); 5] = [
    (
        ".github/workflows/check.yml",
        include_str!("workflows/check.yml"),
        CHECK,
    ),
    (
        ".github/workflows/pages.yml",
        include_str!("workflows/pages.yml"),
        PAGES,
    ),
    (
        ".github/workflows/deploy.yml",
        include_str!("workflows/deploy.yml"),
        DEPLOY,
    ),
    (
        ".github/workflows/notify.yml",
        include_str!("workflows/notify.yml"),
        NOTIFY,
    ),
    (
        ".github/workflows/remind.yml",
        include_str!("workflows/remind.yml"),
        REMIND,
    ),
];

fn steps(install: &Install, run: &Invocation) -> String {
    let Invocation {
        name,
        command,
        args,
        env,
    } = run;
    let step_env = if env.is_empty() {
        String::new()
    } else {
        format!("\n        env:\n          {env}")
    };
    let source_env = if env.is_empty() {
        String::new()
    } else {
        format!("\n          {env}")
    };
    match install {
        Install::Action(uses) => format!(
            "      # trainyard's release binary for this runner, checked against the
      # release's SHA256SUMS and kept in the tool cache: nothing is compiled.
      - name: {name}
        uses: {uses}{step_env}
        with:
          command: {command}
          args: {args}"
        ),
        Install::Source => {
            let summary = if *command == "check" {
                " --summary \"$GITHUB_STEP_SUMMARY\""
            } else {
                ""
            };
            format!(
                "      # trainyard built from source (`trainyard init --from-source`): the
      # first run compiles it for a few minutes, later runs take it from the cache.
      - id: trainyard-cache
        uses: actions/cache@v5
        with:
          path: ~/.cargo/bin/trainyard
          key: trainyard-v{VERSION}-${{{{ runner.os }}}}-${{{{ runner.arch }}}}
      - name: Install trainyard v{VERSION}
        if: steps.trainyard-cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git {REPOSITORY} --tag v{VERSION} trainyard

      - name: {name}
        env:
          ARGS: {args}{source_env}
        run: |
          read -r -a args <<< \"$ARGS\"
          trainyard {command}{summary} \"${{args[@]}}\""
            )
        }
    }
}

/// Every workflow `init` writes: (path in the repository, text).
pub fn workflows(install: &Install) -> Vec<(&'static str, String)> {
    TEMPLATES
        .iter()
        .map(|(path, template, run)| (*path, template.replace(PLACEHOLDER, &steps(install, run))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_repository_is_on_github() {
        assert!(
            REPOSITORY.starts_with("https://github.com/"),
            "{REPOSITORY}"
        );
        assert_eq!(owner_and_name().matches('/').count(), 1);
        let uses = released_action();
        assert_eq!(action_reference(&uses), Ok(uses));
    }

    #[test]
    fn every_template_has_one_place_for_trainyard() {
        for (path, template, _) in TEMPLATES {
            assert_eq!(template.matches(PLACEHOLDER).count(), 1, "{path}");
        }
        for install in [Install::Action(released_action()), Install::Source] {
            for (path, text) in workflows(&install) {
                assert!(!text.contains(PLACEHOLDER), "{path}");
            }
        }
    }

    #[test]
    fn an_action_reference_cannot_carry_yaml() {
        for good in [
            "trainyard-rs/trainyard@v0.2.0",
            "acme/trainyard-fork@0123456789abcdef0123456789abcdef01234567",
            "acme/tools/trainyard@release/v1",
        ] {
            assert_eq!(action_reference(good), Ok(good.into()));
        }
        for bad in [
            "trainyard",
            "acme/trainyard",
            "acme/trainyard@v1\n      run: curl evil",
            "acme/trainyard@v1 # x",
            "acme/trainyard@'v1'",
            "/trainyard@v1",
        ] {
            assert!(action_reference(bad).is_err(), "{bad:?}");
        }
    }
}
