//! The rules for what people type, applied identically in the browser and on the server.
//! Each type can only be built by `parse`, so holding one means the value is valid.

use std::fmt;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const NAME_MAX_CHARS: usize = 100;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const TASK_TITLE_MAX_CHARS: usize = 500;

/// Why a value was refused; the message is shown to people as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Invalid {}

/// An email address, trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        const MESSAGE: Invalid = Invalid("Enter a valid email address.");
        let email = lowercase(raw.trim());
        let (local, domain) = email.rsplit_once('@').ok_or(MESSAGE)?;
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..");
        let well_formed = !local.is_empty()
            && domain_ok
            && email.chars().count() <= EMAIL_MAX_CHARS
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
            && !local.contains('@');
        if well_formed {
            Ok(Self(email))
        } else {
            Err(MESSAGE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a new password must be, told beside the field before it is typed.
pub const NEW_PASSWORD_HINT: &str = "At least 8 characters, and not a commonly used password.";

/// A password, NFKC-normalised, 8–128 code points, never trimmed or truncated.
/// Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let normalised = nfkc(raw);
        let chars = normalised.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(Invalid("Use at least 8 characters."));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(Invalid("Use at most 128 characters."));
        }
        Ok(Self(normalised))
    }

    /// A password being set: also without control characters. A password field drops line
    /// breaks and cannot take the others, so an account given one through the API could never
    /// be signed in to from the app. A password already set is only `parse`d, and still works.
    pub fn parse_new(raw: &str) -> Result<Self, Invalid> {
        let password = Self::parse(raw)?;
        if password.0.chars().any(char::is_control) {
            return Err(Invalid(
                "A password cannot contain tabs, line breaks or other control characters.",
            ));
        }
        Ok(password)
    }

    /// A new password to replace `current`: valid as a new password, and not `current` again
    /// (compared as both normalise, so a look-alike spelling is the same password).
    pub fn parse_replacing(raw: &str, current: &str) -> Result<Self, Invalid> {
        let password = Self::parse_new(raw)?;
        if password.0 == nfkc(current) {
            return Err(Invalid("Choose a password other than your current one."));
        }
        Ok(password)
    }

    /// The normalised password, for hashing. Named so every use is easy to find.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// Unicode NFKC normalisation: the browser's own in WASM, the `unicode-normalization` crate
/// elsewhere (both implement the same Unicode standard).
fn nfkc(raw: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(raw).normalize("NFKC"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use unicode_normalization::UnicodeNormalization;
        raw.nfkc().collect()
    }
}

/// Unicode lower case: the browser's own in WASM (no case tables in the download), the
/// standard library's elsewhere (both follow the Unicode default case conversion).
fn lowercase(raw: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(raw).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        raw.to_lowercase()
    }
}

/// A person's display name: trimmed, 1–100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Invalid("Enter your name."));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(Invalid("Use at most 100 characters."));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid("Use letters, numbers and punctuation only."));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A task's title: trimmed, 1–500 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskTitle(String);

impl TaskTitle {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let title = raw.trim();
        if title.is_empty() {
            return Err(Invalid("Enter a title."));
        }
        if title.chars().count() > TASK_TITLE_MAX_CHARS {
            return Err(Invalid("Use at most 500 characters."));
        }
        if title.chars().any(|c| c.is_control() && c != '\t') {
            return Err(Invalid("Use letters, numbers and punctuation only."));
        }
        Ok(Self(title.to_string()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Where to go after signing in: only a path on this site, never another origin.
pub fn local_path(next: &str) -> Option<&str> {
    let is_local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    is_local.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@.example.com",
            "ada@example..com",
            "<ada>@example.com",
        ] {
            assert_eq!(
                Email::parse(raw),
                Err(Invalid("Enter a valid email address.")),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn a_password_counts_code_points_not_bytes() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        // Eight characters, far more than eight bytes.
        assert!(Password::parse("éééééééé").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)),
            Err(Invalid("Use at most 128 characters."))
        );
    }

    #[test]
    fn a_password_is_nfkc_normalised_and_never_trimmed() {
        // U+FB01 (ﬁ ligature) normalises to "fi".
        assert_eq!(
            Password::parse("\u{FB01}rstpassword").unwrap().expose(),
            "firstpassword"
        );
        assert_eq!(
            Password::parse("  spaced  ").unwrap().expose(),
            "  spaced  "
        );
    }

    #[test]
    fn a_new_password_has_no_control_characters_but_one_already_set_still_parses() {
        let refused = Err(Invalid(
            "A password cannot contain tabs, line breaks or other control characters.",
        ));
        for password in [
            "violet\nstaple",
            "violet\tstaple",
            "violet\u{0}staple",
            "violet\u{85}staple",
        ] {
            assert_eq!(Password::parse_new(password), refused, "{password:?}");
            assert_eq!(
                Password::parse_replacing(password, "firstpassword"),
                refused
            );
            assert!(
                Password::parse(password).is_ok(),
                "{password:?} signs in as ever"
            );
        }
        assert!(Password::parse_new("violet staple gorilla ✓").is_ok());
    }

    #[test]
    fn a_new_password_must_differ_from_the_current_one_as_normalised() {
        let same = Err(Invalid("Choose a password other than your current one."));
        assert_eq!(
            Password::parse_replacing("firstpassword", "firstpassword"),
            same
        );
        assert_eq!(
            Password::parse_replacing("\u{FB01}rstpassword", "firstpassword"),
            same
        );
        assert!(Password::parse_replacing("firstpassword", "firstpassword ").is_ok());
        // Too short is said first: that is what the person has to fix.
        assert_eq!(
            Password::parse_replacing("short", "short"),
            Err(Invalid("Use at least 8 characters."))
        );
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn a_name_is_trimmed_and_required() {
        assert_eq!(DisplayName::parse("  Ada ").unwrap().as_str(), "Ada");
        assert_eq!(DisplayName::parse("   "), Err(Invalid("Enter your name.")));
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn a_task_title_is_one_to_500_characters() {
        assert!(TaskTitle::parse("").is_err());
        assert!(TaskTitle::parse(&"x".repeat(500)).is_ok());
        assert!(TaskTitle::parse(&"x".repeat(501)).is_err());
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path("/dashboard?tab=1"), Some("/dashboard?tab=1"));
        for next in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
        ] {
            assert_eq!(local_path(next), None, "{next:?}");
        }
    }
}
