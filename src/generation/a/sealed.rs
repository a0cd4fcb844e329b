//! Legacy sealed local state (spec §6): the AES-256-GCM envelope
//! `xworkmate.sealed.local-state.v1` and its 32-byte key. This module only
//! opens envelopes; nothing in this crate ever writes sealed state.

use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use zeroize::Zeroizing;

/// The `storageFormat` marker of a sealed value.
pub const SEALED_FORMAT: &str = "xworkmate.sealed.local-state.v1";
/// Storage key of the local-state key in secure storage.
pub const LOCAL_STATE_KEY: &str = "xworkmate.local_state.key";
/// AADs of the schema-2 backup: the writer's and a later reader's (spec §6).
pub const BACKUP_AADS: [&str; 2] = [
    "xworkmate.assistant.state.backup",
    "_assistant_state_backup",
];

/// Decodes base64url, padded or not. Also accepts standard `+`/`/` alphabet
/// input, which some tools produce when a key is pasted.
pub fn decode_b64url(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    let unpadded = t.trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(unpadded)
        .ok()
        .or_else(|| URL_SAFE.decode(t).ok())
        .or_else(|| {
            let swapped: String = unpadded
                .chars()
                .map(|c| match c {
                    '+' => '-',
                    '/' => '_',
                    c => c,
                })
                .collect();
            URL_SAFE_NO_PAD.decode(swapped).ok()
        })
}

/// Encodes bytes as base64url without padding (the form XWorkmate writes).
pub fn encode_b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A 32-byte local-state key. Never printed, never serialized, zeroized on drop.
#[derive(Clone)]
pub struct LocalStateKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for LocalStateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalStateKey(••••••)")
    }
}

impl PartialEq for LocalStateKey {
    fn eq(&self, other: &Self) -> bool {
        self.0[..] == other.0[..]
    }
}

/// The most a key's text may be (a 32-byte key is 43 characters): anything
/// longer is `key_invalid`, without reading further (`--key-file /dev/zero`).
pub const MAX_KEY_TEXT_BYTES: u64 = 4096;

/// Reads a candidate key's text (a key file, stdin) — at most
/// [`MAX_KEY_TEXT_BYTES`]; longer input is [`StoreError::KeyInvalid`] and is
/// not read to its end. The text is zeroized when dropped.
pub fn read_key_text(
    mut input: impl std::io::Read,
    what: &std::path::Path,
) -> crate::error::Result<Zeroizing<String>> {
    use std::io::Read as _;
    let mut bytes = Zeroizing::new(Vec::new());
    (&mut input)
        .take(MAX_KEY_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::error::StoreError::io("cannot read", what, e))?;
    if bytes.len() as u64 > MAX_KEY_TEXT_BYTES {
        return Err(crate::error::StoreError::KeyInvalid);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| crate::error::StoreError::KeyInvalid)?;
    Ok(Zeroizing::new(text.trim().to_string()))
}

impl LocalStateKey {
    /// Parses base64url text of exactly 32 bytes; `None` is `key_invalid`.
    pub fn from_b64url(text: &str) -> Option<Self> {
        let bytes = Zeroizing::new(decode_b64url(text)?);
        let arr: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(LocalStateKey(Zeroizing::new(arr)))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        LocalStateKey(Zeroizing::new(bytes))
    }

    /// The key's bytes, for the streaming opener ([`super::unseal`]).
    pub(crate) fn expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as base64url without padding, for storing it in secure storage.
    pub fn expose_b64url(&self) -> Zeroizing<String> {
        Zeroizing::new(encode_b64url(&self.0[..]))
    }
}

/// A parsed sealed envelope.
#[derive(Debug, Clone)]
pub struct Envelope {
    nonce: [u8; 12],
    cipher_text: Vec<u8>,
    mac: [u8; 16],
}

/// Why an envelope did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// The key is well formed but the tag check fails (wrong key, wrong AAD or tampering).
    KeyMismatch,
}

impl Envelope {
    /// Parses an envelope from its JSON object. `Err` carries a sentence on what
    /// is malformed.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let obj = v
            .as_object()
            .ok_or("the sealed value is not a JSON object")?;
        match obj.get("storageFormat").and_then(Value::as_str) {
            Some(SEALED_FORMAT) => {}
            // The stored value is not quoted: reports never carry stored text.
            Some(_) => return Err(format!("unknown storageFormat (not {SEALED_FORMAT})")),
            None => return Err("storageFormat is missing".into()),
        }
        let field = |name: &str| -> Result<Vec<u8>, String> {
            let text = obj
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{name} is missing or not a string"))?;
            decode_b64url(text).ok_or_else(|| format!("{name} is not base64url"))
        };
        let nonce = field("nonce")?;
        let cipher_text = field("cipherText")?;
        let mac = field("mac")?;
        let nonce: [u8; 12] = nonce
            .as_slice()
            .try_into()
            .map_err(|_| format!("nonce is {} bytes, not 12", nonce.len()))?;
        let mac: [u8; 16] = mac
            .as_slice()
            .try_into()
            .map_err(|_| format!("mac is {} bytes, not 16", mac.len()))?;
        Ok(Envelope {
            nonce,
            cipher_text,
            mac,
        })
    }

    /// Parses an envelope straight from its JSON text, without building a
    /// `Value` (a sealed thread list is hundreds of MiB of base64): `None`
    /// when the text is not an object with a `storageFormat` whose fields are
    /// all strings — the caller then reads it as a `Value`, which words every
    /// other case as [`Envelope::from_value`] does.
    pub fn from_json_text(text: &str) -> Option<Result<Self, String>> {
        use std::borrow::Cow;
        #[derive(serde::Deserialize)]
        struct Raw<'a> {
            #[serde(rename = "storageFormat", borrow)]
            storage_format: Option<Cow<'a, str>>,
            #[serde(borrow)]
            nonce: Option<Cow<'a, str>>,
            #[serde(rename = "cipherText", borrow)]
            cipher_text: Option<Cow<'a, str>>,
            #[serde(borrow)]
            mac: Option<Cow<'a, str>>,
        }
        let raw: Raw<'_> = serde_json::from_str(text.trim()).ok()?;
        let format = raw.storage_format?;
        if format != SEALED_FORMAT {
            return Some(Err(format!("unknown storageFormat (not {SEALED_FORMAT})")));
        }
        let field = |name: &str, v: Option<Cow<'_, str>>| -> Result<Vec<u8>, String> {
            let text = v.ok_or_else(|| format!("{name} is missing or not a string"))?;
            decode_b64url(&text).ok_or_else(|| format!("{name} is not base64url"))
        };
        Some((|| {
            let nonce = field("nonce", raw.nonce)?;
            let cipher_text = field("cipherText", raw.cipher_text)?;
            let mac = field("mac", raw.mac)?;
            Ok(Envelope {
                nonce: nonce
                    .as_slice()
                    .try_into()
                    .map_err(|_| format!("nonce is {} bytes, not 12", nonce.len()))?,
                cipher_text,
                mac: mac
                    .as_slice()
                    .try_into()
                    .map_err(|_| format!("mac is {} bytes, not 16", mac.len()))?,
            })
        })())
    }

    /// Parses an envelope from JSON text.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(text.trim())
            .map_err(|e| format!("not JSON: {}", crate::document::json_error(&e)))?;
        Self::from_value(&v)
    }

    /// Opens the envelope with `key` and `aad`.
    pub fn open(&self, key: &LocalStateKey, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        use aes_gcm::aead::AeadInPlace;
        let cipher = Aes256Gcm::new_from_slice(&key.0[..]).map_err(|_| OpenError::KeyMismatch)?;
        // Decrypted in place in one copy of the cipher text (a thread list
        // can be hundreds of MiB); wiped when dropped, also after a failure.
        let mut plain = Zeroizing::new(self.cipher_text.clone());
        cipher
            .decrypt_in_place_detached(
                Nonce::from_slice(&self.nonce),
                aad,
                &mut plain,
                aes_gcm::Tag::from_slice(&self.mac),
            )
            .map(|()| plain)
            .map_err(|_| OpenError::KeyMismatch)
    }
}

/// True when `v` is an object that declares itself sealed (any `storageFormat`).
pub fn looks_sealed(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.contains_key("storageFormat"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_must_be_32_bytes() {
        assert!(
            LocalStateKey::from_b64url("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA").is_some()
        );
        assert!(
            LocalStateKey::from_b64url("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=").is_some()
        );
        assert!(LocalStateKey::from_b64url("AQID").is_none());
        assert!(LocalStateKey::from_b64url("***").is_none());
        assert!(LocalStateKey::from_b64url("").is_none());
    }

    #[test]
    fn key_debug_does_not_leak() {
        let k = LocalStateKey::from_bytes([7; 32]);
        assert_eq!(format!("{k:?}"), "LocalStateKey(••••••)");
    }
}

#[cfg(test)]
mod envelope_text_tests {
    use super::*;

    /// What an envelope parsed either way says (its bytes, or why not).
    fn seen(r: Result<Envelope, String>) -> Result<Vec<Vec<u8>>, String> {
        r.map(|e| vec![e.nonce.to_vec(), e.cipher_text, e.mac.to_vec()])
    }

    #[test]
    fn read_from_text_as_from_a_value() {
        let good = format!(
            r#"{{"storageFormat":"{SEALED_FORMAT}","nonce":"AQIDBAUGBwgJCgsM","cipherText":"YWJj","mac":"AAECAwQFBgcICQoLDA0ODw","x":[1]}}"#
        );
        let cases = [
            good.clone(),
            good.replace("AQIDBAUGBwgJCgsM", "AQID"),
            good.replace("\"mac\"", "\"mac2\""),
            good.replace("YWJj", "!!"),
            good.replace(SEALED_FORMAT, "other.v9"),
            good.replace("\"nonce\":\"AQIDBAUGBwgJCgsM\"", "\"nonce\":5"),
            good.replace("YWJj", "YW\\u004aj"),
        ];
        for text in cases {
            let v: Value = serde_json::from_str(&text).unwrap();
            match Envelope::from_json_text(&text) {
                Some(r) => assert_eq!(seen(r), seen(Envelope::from_value(&v)), "{text}"),
                // Left to the `Value` reading: a field that is not a string.
                None => assert!(text.contains(":5"), "{text}"),
            }
        }
    }
}
