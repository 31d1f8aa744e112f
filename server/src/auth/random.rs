use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// `N` bytes from the operating system's CSPRNG.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buffer = [0u8; N];
    // The OS generator failing means the machine cannot do cryptography at all.
    getrandom::fill(&mut buffer).expect("the operating system's random generator is unavailable");
    buffer
}

/// An opaque 256-bit token, base64url-encoded (43 characters).
pub fn token() -> String {
    URL_SAFE_NO_PAD.encode(bytes::<32>())
}
