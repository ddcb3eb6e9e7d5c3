//! Code blocks, and what the test suite does with each (`book/tests/snippets.rs`): the words
//! after a fence's language say whether the block is a program to run, a server and its
//! clients, or a fragment that can only be parsed (docs/WRITING.md has the table).

use std::fmt;

/// A code block of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// The line of the opening fence, for messages.
    pub line: usize,
    pub language: String,
    pub role: Role,
    pub text: String,
}

/// What a block is, for the test that runs the course's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A complete program: run it; it must exit 0.
    Run,
    /// A complete Rust program that uses tokio.
    Tokio,
    /// A server: start it, wait for `port`, run its clients, stop it.
    Server { name: String, port: u16 },
    /// A client of the server `name` on the same page.
    Client { name: String },
    /// Not a complete program: parse it, do not run it.
    Fragment,
    /// Output, a terminal session, a protocol exchange: shown, never run.
    Shown,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Run => f.write_str("run"),
            Role::Tokio => f.write_str("tokio"),
            Role::Server { name, .. } => write!(f, "server {name}"),
            Role::Client { name } => write!(f, "client of {name}"),
            Role::Fragment => f.write_str("fragment"),
            Role::Shown => f.write_str("shown"),
        }
    }
}

/// Languages whose blocks are executed.
pub const EXECUTED: [&str; 2] = ["python", "rust"];

/// The role an info string (`python server name=chat port=9100`) gives its block.
pub fn role(language: &str, words: &[&str]) -> Result<Role, String> {
    if !EXECUTED.contains(&language) {
        return Ok(Role::Shown);
    }
    let mut name = None;
    let mut port = None;
    let mut client = None;
    let mut kinds = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some(("name", value)) => name = Some(value.to_string()),
            Some(("port", value)) => {
                port = Some(
                    value
                        .parse::<u16>()
                        .ok()
                        .filter(|p| *p >= 1024)
                        .ok_or_else(|| format!("port={value}: a port from 1024 to 65535"))?,
                )
            }
            Some(("client", value)) => client = Some(value.to_string()),
            Some((key, _)) => {
                return Err(format!("unknown attribute '{key}' (name, port, client)"));
            }
            None => kinds.push(*word),
        }
    }
    let role = match (kinds.as_slice(), name, port, client) {
        ([], None, None, None) => Role::Run,
        (["tokio"], None, None, None) if language == "rust" => Role::Tokio,
        (["fragment"], None, None, None) => Role::Fragment,
        (["server"], Some(name), Some(port), None) => Role::Server { name, port },
        (["server"], ..) => return Err("a server needs name=… and port=…".into()),
        ([], None, None, Some(name)) => Role::Client { name },
        _ => {
            return Err(format!(
                "'{language} {}' is not a kind of block (see docs/WRITING.md)",
                words.join(" ")
            ));
        }
    };
    Ok(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_name_their_role() {
        assert_eq!(role("python", &[]), Ok(Role::Run));
        assert_eq!(role("rust", &["tokio"]), Ok(Role::Tokio));
        assert_eq!(role("python", &["fragment"]), Ok(Role::Fragment));
        assert_eq!(role("text", &["anything"]), Ok(Role::Shown));
        assert_eq!(
            role("python", &["server", "name=chat", "port=9100"]),
            Ok(Role::Server { name: "chat".into(), port: 9100 })
        );
        assert_eq!(role("rust", &["client=chat"]), Ok(Role::Client { name: "chat".into() }));
        assert!(role("python", &["server", "name=chat"]).unwrap_err().contains("port"));
        assert!(role("python", &["server", "name=chat", "port=80"]).unwrap_err().contains("1024"));
        assert!(role("python", &["tokio"]).is_err());
        assert!(
            role("python", &["colour=red"]).unwrap_err().contains("unknown attribute 'colour'")
        );
    }
}
