//! Delivering a message over SMTP (lettre, TLS by rustls).

pub use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::fmt;
use std::time::Duration;

/// How the connection is secured, from the URL's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://HOST:PORT`: plain text, for a relay on the same host or network.
    Plain,
    /// `smtp://HOST:PORT?tls=required`: STARTTLS, refused if the server lacks it.
    StartTls,
    /// `smtps://HOST:PORT`: TLS from the first byte.
    Tls,
}

/// A parsed `--smtp` / `TRAINYARD_SMTP_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

const CREDENTIALS: &str = "the SMTP URL holds a user name or password (`@`); trainyard takes them only from TRAINYARD_SMTP_USER and TRAINYARD_SMTP_PASSWORD\n  help: remove them from the URL and set those variables (from a secret store) instead";

const URL_HELP: &str = "write smtp://HOST:PORT (plain), smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT (TLS)";

impl Server {
    /// Read an SMTP URL. Credentials in it are refused: they would end up in
    /// shell history, CI logs and process listings.
    pub fn parse(raw: &str) -> Result<Server, String> {
        // Never repeat a URL that may hold a secret.
        let raw = if raw.contains('@') {
            "the SMTP URL"
        } else {
            raw
        };
        let url = url::Url::parse(raw.trim())
            .map_err(|e| format!("`{raw}` is not an SMTP URL ({e})\n  help: {URL_HELP}"));
        let url = match url {
            Ok(url) => url,
            Err(_) if raw == "the SMTP URL" => return Err(CREDENTIALS.into()),
            Err(e) => return Err(e),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CREDENTIALS.into());
        }
        if !matches!(url.scheme(), "smtp" | "smtps") {
            return Err(format!(
                "`{raw}`: `{}` is not smtp or smtps\n  help: {URL_HELP}",
                url.scheme()
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{raw}` names no host\n  help: {URL_HELP}"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        if url.path() != "" && url.path() != "/" || url.fragment().is_some() {
            return Err(format!(
                "`{raw}` has a path or fragment\n  help: {URL_HELP}"
            ));
        }
        let mut tls = None;
        for (k, v) in url.query_pairs() {
            match (k.as_ref(), v.as_ref()) {
                ("tls", "required") if tls.is_none() => tls = Some(()),
                _ => {
                    return Err(format!(
                        "`{raw}`: unknown query `{k}={v}`\n  help: the only option is ?tls=required (STARTTLS)"
                    ))
                }
            }
        }
        let (security, default_port) = match (url.scheme(), tls) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some(())) => (Security::StartTls, 587),
            ("smtps", None) => (Security::Tls, 465),
            ("smtps", Some(())) => {
                return Err(format!(
                    "`{raw}`: smtps:// is TLS already; ?tls=required is for smtp://\n  help: {URL_HELP}"
                ))
            }
            (scheme, _) => {
                return Err(format!("`{raw}`: `{scheme}` is not smtp or smtps\n  help: {URL_HELP}"))
            }
        };
        Ok(Server {
            host,
            port: url.port().unwrap_or(default_port),
            security,
        })
    }
}

/// Why a message was not delivered.
#[derive(Debug)]
pub enum SendError {
    /// The server answered and refused (exit 1).
    Refused(String),
    /// The server could not be reached, or the conversation broke off (exit 2).
    Unreachable(String),
    /// The server's TLS certificate is not one trainyard trusts (exit 2).
    Untrusted(String),
}

/// The most a CA file may hold: a bundle of a few hundred certificates.
const MAX_CA_FILE: u64 = 1024 * 1024;

/// `--smtp-ca FILE`: the PEM certificates of a private CA (a company's mail
/// relay), trusted besides Mozilla's roots.
pub fn read_ca(path: &std::path::Path) -> Result<Certificate, String> {
    use std::io::Read as _;
    let shown = path.display();
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CA_FILE + 1).read_to_end(&mut pem))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    let help = "help: give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)";
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(format!("{shown} is over 1 MiB\n  {help}"));
    }
    if memchr::memmem::find(&pem, b"-----BEGIN CERTIFICATE-----").is_none() {
        return Err(format!("{shown} holds no certificate\n  {help}"));
    }
    Certificate::from_pem(&pem).map_err(|e| format!("{shown}: {e}\n  {help}"))
}

/// User and password from the environment, both or neither.
pub fn credentials_from_env() -> Result<Option<Credentials>, String> {
    let user = std::env::var("TRAINYARD_SMTP_USER")
        .ok()
        .filter(|v| !v.is_empty());
    let password = std::env::var("TRAINYARD_SMTP_PASSWORD")
        .ok()
        .filter(|v| !v.is_empty());
    match (user, password) {
        (Some(u), Some(p)) => Ok(Some(Credentials::new(u, p))),
        (None, None) => Ok(None),
        (Some(_), None) => Err("TRAINYARD_SMTP_USER is set but TRAINYARD_SMTP_PASSWORD is not\n  help: set both, or neither for a server without authentication".into()),
        (None, Some(_)) => Err("TRAINYARD_SMTP_PASSWORD is set but TRAINYARD_SMTP_USER is not\n  help: set both, or neither for a server without authentication".into()),
    }
}

/// Why a user and password are not sent over `server`, a plain `smtp://`
/// connection: anyone on the way would read them (`AUTH PLAIN` is the
/// password in base64).
pub fn cleartext_refusal(server: &Server) -> String {
    format!(
        "TRAINYARD_SMTP_USER and TRAINYARD_SMTP_PASSWORD are set, and smtp://{server} is not encrypted: the password would be sent in clear\n  help: use smtp://{host}:{port}?tls=required (STARTTLS) or smtps://{host}:465 (TLS), or unset both for a relay that needs no login",
        host = server.host,
        port = server.port
    )
}

/// Deliver `message` to every To and Cc address (lettre takes the envelope
/// from the headers). Every network step is bounded by `timeout`.
pub fn send(
    server: &Server,
    credentials: Option<Credentials>,
    ca: Option<Certificate>,
    message: &Message,
    timeout: Duration,
) -> Result<(), SendError> {
    let unreachable = |e: &dyn fmt::Display| SendError::Unreachable(format!("{server}: {e}"));
    let tls = |required: bool| {
        let mut params = TlsParameters::builder(server.host.clone());
        if let Some(ca) = ca.clone() {
            params = params.add_root_certificate(ca);
        }
        params.build_rustls().map(|p| {
            if required {
                Tls::Required(p)
            } else {
                Tls::Wrapper(p)
            }
        })
    };
    let tls = match server.security {
        Security::Plain => Tls::None,
        Security::StartTls => tls(true).map_err(|e| unreachable(&e))?,
        Security::Tls => tls(false).map_err(|e| unreachable(&e))?,
    };
    let mut builder = SmtpTransport::builder_dangerous(&server.host)
        .port(server.port)
        .tls(tls)
        .timeout(Some(timeout));
    if let Some(c) = credentials {
        builder = builder.credentials(c);
    }
    let transport = builder.build();
    match transport.send(message) {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() || e.is_transient() => Err(SendError::Refused(format!(
            "{server} refused the message: {e}"
        ))),
        // rustls says why it refused the certificate as "invalid peer
        // certificate: REASON", which lettre passes on as a network error.
        Err(e) if e.to_string().contains("invalid peer certificate") => {
            Err(SendError::Untrusted(format!("{server}: {e}")))
        }
        Err(e) => Err(unreachable(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms() {
        let s = Server::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security),
            ("127.0.0.1", 2525, Security::Plain)
        );
        let s = Server::parse("smtp://mail.example.com?tls=required").unwrap();
        assert_eq!((s.port, s.security), (587, Security::StartTls));
        let s = Server::parse("smtps://mail.example.com").unwrap();
        assert_eq!((s.port, s.security), (465, Security::Tls));
        assert_eq!(Server::parse("smtp://[::1]:25").unwrap().host, "::1");
    }

    #[test]
    fn refused_forms() {
        for (raw, says) in [
            (
                "smtp://user:hunter2@mail.example.com",
                "TRAINYARD_SMTP_USER",
            ),
            ("smtp://user@mail.example.com", "TRAINYARD_SMTP_USER"),
            ("http://mail.example.com", "not smtp"),
            ("smtp://mail.example.com?tls=maybe", "unknown query"),
            ("smtps://mail.example.com?tls=required", "TLS already"),
            ("mail.example.com:25", "not smtp"),
            ("smtp://", "no host"),
            ("smtp://mail.example.com/inbox", "path"),
            ("smtp://mail.example.com:99999", "not an SMTP URL"),
        ] {
            let e = Server::parse(raw).unwrap_err();
            assert!(e.contains(says), "{raw}: {e}");
            assert!(!e.contains("hunter2"), "{raw}: {e}");
        }
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        let err = |name: &str| read_ca(&path(name)).err().unwrap_or_default();
        assert!(
            err("missing.pem").starts_with("cannot read "),
            "{}",
            err("missing.pem")
        );
        std::fs::write(path("text.pem"), "hello").unwrap();
        assert!(err("text.pem").contains("holds no certificate"));
        std::fs::write(
            path("broken.pem"),
            "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(
            err("broken.pem").contains("broken.pem: "),
            "{}",
            err("broken.pem")
        );
        let big = "-----BEGIN CERTIFICATE-----\n".repeat(40_000);
        std::fs::write(path("big.pem"), big).unwrap();
        assert!(err("big.pem").contains("is over 1 MiB"));
    }
}
