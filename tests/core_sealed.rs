//! Spec §6: the sealed envelope `xworkmate.sealed.local-state.v1` and its key,
//! checked against the fixtures' vectors (made by an independent Python
//! implementation) and against envelopes built here with `aes-gcm`.

mod common;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use xworkmate_store::sealed::{Envelope, LocalStateKey, OpenError};

fn key() -> LocalStateKey {
    LocalStateKey::from_b64url(&fixture_key()).expect("the fixtures' key is 32 bytes")
}

/// Seals `plaintext` the way the spec describes, independently of the crate.
fn seal(key: &[u8; 32], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8], padded: bool) -> String {
    let cipher = Aes256Gcm::new_from_slice(key).unwrap();
    let out = cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .unwrap();
    let (ct, mac) = out.split_at(out.len() - 16);
    let enc = |b: &[u8]| {
        if padded {
            URL_SAFE.encode(b)
        } else {
            URL_SAFE_NO_PAD.encode(b)
        }
    };
    json!({
        "storageFormat": "xworkmate.sealed.local-state.v1",
        "nonce": enc(nonce),
        "cipherText": enc(ct),
        "mac": enc(mac),
    })
    .to_string()
}

/// Re-encodes every base64url field of an envelope with padding.
fn with_padding(envelope: &str) -> String {
    let mut v: Value = serde_json::from_str(envelope).unwrap();
    for field in ["nonce", "cipherText", "mac"] {
        let text = v[field].as_str().unwrap().trim_end_matches('=');
        let bytes = URL_SAFE_NO_PAD.decode(text).unwrap();
        v[field] = Value::String(URL_SAFE.encode(bytes));
    }
    v.to_string()
}

#[test]
fn every_vector_case_opens_to_exactly_its_plaintext() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 5, "expected the five documented cases");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let env = Envelope::from_text(case["envelope"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{name}: envelope rejected: {e}"));
        let plain = env
            .open(&key(), case["aad"].as_str().unwrap().as_bytes())
            .unwrap_or_else(|e| panic!("{name}: did not open: {e:?}"));
        assert_eq!(
            std::str::from_utf8(&plain).unwrap(),
            case["plaintext"].as_str().unwrap(),
            "{name}: plaintext differs"
        );
    }
}

#[test]
fn backup_inner_envelopes_open_only_with_their_own_aad() {
    // The writer's and the later reader's AAD (spec §6) are different keys of the AEAD.
    let writer = vector_case("backup-inner-writer-aad");
    let reader = vector_case("backup-inner-reader-aad");
    let w = Envelope::from_text(writer["envelope"].as_str().unwrap()).unwrap();
    let r = Envelope::from_text(reader["envelope"].as_str().unwrap()).unwrap();
    assert_eq!(
        w.open(&key(), b"_assistant_state_backup").unwrap_err(),
        OpenError::KeyMismatch
    );
    assert_eq!(
        r.open(&key(), b"xworkmate.assistant.state.backup")
            .unwrap_err(),
        OpenError::KeyMismatch
    );
}

#[test]
fn negative_vectors_are_rejected_with_the_named_reason() {
    let v = vectors();
    let negatives = v["negative"].as_array().unwrap();
    assert!(!negatives.is_empty());
    let mut seen = (0, 0);
    for case in negatives {
        let name = case["name"].as_str().unwrap();
        let text = case["envelope"].as_str().unwrap();
        let aad = case["aad"].as_str().unwrap().as_bytes();
        match case["expect"].as_str().unwrap() {
            "malformed" => {
                seen.0 += 1;
                assert!(
                    Envelope::from_text(text).is_err(),
                    "{name}: a malformed envelope was accepted"
                );
            }
            "tag mismatch" => {
                seen.1 += 1;
                let env = Envelope::from_text(text)
                    .unwrap_or_else(|e| panic!("{name}: well-formed envelope rejected: {e}"));
                assert_eq!(
                    env.open(&key(), aad).unwrap_err(),
                    OpenError::KeyMismatch,
                    "{name}"
                );
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "both kinds of negative case are covered"
    );
}

#[test]
fn padded_and_unpadded_base64url_both_decode() {
    let case = vector_case("settings");
    let text = case["envelope"].as_str().unwrap();
    let aad = case["aad"].as_str().unwrap().as_bytes();
    let expected = case["plaintext"].as_str().unwrap().as_bytes();
    let padded = with_padding(text);
    assert!(padded.contains('='), "the padded form really has padding");
    for t in [text.to_string(), padded] {
        let plain = Envelope::from_text(&t).unwrap().open(&key(), aad).unwrap();
        assert_eq!(&plain[..], expected);
    }
    // The vector that was written padded by the fixture generator.
    let case = vector_case("settings-padded-base64");
    assert!(case["envelope"].as_str().unwrap().contains("=="));
    let plain = Envelope::from_text(case["envelope"].as_str().unwrap())
        .unwrap()
        .open(&key(), case["aad"].as_str().unwrap().as_bytes())
        .unwrap();
    assert_eq!(&plain[..], case["plaintext"].as_str().unwrap().as_bytes());
    // The key, too.
    let k = fixture_key();
    let padded_key = URL_SAFE.encode(URL_SAFE_NO_PAD.decode(&k).unwrap());
    assert!(padded_key.ends_with('='));
    assert_eq!(LocalStateKey::from_b64url(&padded_key), Some(key()));
}

#[test]
fn an_unknown_storage_format_is_named_without_quoting_the_stored_text() {
    let good = seal(&[3; 32], &[4; 12], b"hello", b"aad", false);
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["storageFormat"] = json!("PRIVATE-STORED-TEXT-91");
    let why = Envelope::from_value(&v).unwrap_err();
    assert!(why.contains("unknown storageFormat"), "{why}");
    assert!(!why.contains("PRIVATE-STORED-TEXT-91"), "{why}");
}

#[test]
fn malformed_envelopes_are_rejected() {
    let good = seal(&[3; 32], &[4; 12], b"hello", b"aad", false);
    let good_v: Value = serde_json::from_str(&good).unwrap();
    assert!(Envelope::from_text(&good).is_ok());
    let mut variants: Vec<(String, String)> = vec![
        ("not JSON".into(), "{not json".into()),
        ("empty".into(), String::new()),
        ("array".into(), "[]".into()),
    ];
    for field in ["storageFormat", "nonce", "cipherText", "mac"] {
        let mut v = good_v.clone();
        v.as_object_mut().unwrap().remove(field);
        variants.push((format!("missing {field}"), v.to_string()));
        let mut v = good_v.clone();
        v[field] = json!(12);
        variants.push((format!("{field} not a string"), v.to_string()));
    }
    let set = |field: &str, value: Value| {
        let mut v = good_v.clone();
        v[field] = value;
        v.to_string()
    };
    variants.push((
        "wrong format".into(),
        set("storageFormat", json!("xworkmate.sealed.local-state.v2")),
    ));
    variants.push((
        "nonce 11 bytes".into(),
        set("nonce", json!(URL_SAFE_NO_PAD.encode([1u8; 11]))),
    ));
    variants.push((
        "nonce 13 bytes".into(),
        set("nonce", json!(URL_SAFE_NO_PAD.encode([1u8; 13]))),
    ));
    variants.push((
        "mac 15 bytes".into(),
        set("mac", json!(URL_SAFE_NO_PAD.encode([1u8; 15]))),
    ));
    variants.push((
        "mac 17 bytes".into(),
        set("mac", json!(URL_SAFE_NO_PAD.encode([1u8; 17]))),
    ));
    variants.push((
        "bad base64 in cipherText".into(),
        set("cipherText", json!("ab$cd")),
    ));
    variants.push(("bad base64 in mac".into(), set("mac", json!("!!!!"))));
    for (what, text) in variants {
        assert!(
            Envelope::from_text(&text).is_err(),
            "{what}: accepted {text}"
        );
    }
}

#[test]
fn keys_must_be_exactly_32_bytes() {
    for n in [0usize, 1, 16, 31, 33, 48, 64] {
        let text = URL_SAFE_NO_PAD.encode(vec![7u8; n]);
        assert!(
            LocalStateKey::from_b64url(&text).is_none(),
            "{n} bytes accepted"
        );
        let text = URL_SAFE.encode(vec![7u8; n]);
        assert!(
            LocalStateKey::from_b64url(&text).is_none(),
            "{n} bytes (padded) accepted"
        );
    }
    assert!(LocalStateKey::from_b64url("not base64 at all!").is_none());
    assert!(LocalStateKey::from_b64url(&URL_SAFE_NO_PAD.encode([7u8; 32])).is_some());
}

#[test]
fn a_tampered_cipher_text_is_a_key_mismatch() {
    let case = vector_case("threads");
    let mut v: Value = serde_json::from_str(case["envelope"].as_str().unwrap()).unwrap();
    let mut ct = URL_SAFE_NO_PAD
        .decode(v["cipherText"].as_str().unwrap())
        .unwrap();
    ct[0] ^= 1;
    v["cipherText"] = json!(URL_SAFE_NO_PAD.encode(ct));
    let env = Envelope::from_text(&v.to_string()).unwrap();
    assert_eq!(
        env.open(&key(), b"xworkmate.assistant.threads")
            .unwrap_err(),
        OpenError::KeyMismatch
    );
}

#[test]
fn key_debug_output_never_contains_the_key() {
    let text = fixture_key();
    let k = key();
    let dbg = format!("{k:?} {k:#?}");
    assert!(!dbg.contains(&text), "{dbg}");
    assert!(!dbg.contains("AQIDBAUG"), "{dbg}");
    assert!(!dbg.contains("[1, 2, 3"), "{dbg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn independently_sealed_envelopes_open_with_the_right_key_and_aad(
        key_bytes in any::<[u8; 32]>(),
        other_key in any::<[u8; 32]>(),
        nonce in any::<[u8; 12]>(),
        plaintext in proptest::collection::vec(any::<u8>(), 0..512),
        aad in proptest::collection::vec(any::<u8>(), 0..64),
        padded in any::<bool>(),
    ) {
        let text = seal(&key_bytes, &nonce, &plaintext, &aad, padded);
        let env = Envelope::from_text(&text).expect("well-formed envelope");
        let k = LocalStateKey::from_b64url(&URL_SAFE_NO_PAD.encode(key_bytes)).unwrap();
        prop_assert_eq!(&env.open(&k, &aad).expect("opens")[..], &plaintext[..]);
        // Also through from_bytes.
        prop_assert_eq!(&env.open(&LocalStateKey::from_bytes(key_bytes), &aad).unwrap()[..], &plaintext[..]);
        if other_key != key_bytes {
            let wrong = LocalStateKey::from_bytes(other_key);
            prop_assert_eq!(env.open(&wrong, &aad).unwrap_err(), OpenError::KeyMismatch);
        }
        let mut other_aad = aad.clone();
        other_aad.push(0);
        prop_assert_eq!(env.open(&k, &other_aad).unwrap_err(), OpenError::KeyMismatch);
    }

    #[test]
    fn keys_of_any_other_length_are_invalid(
        bytes in proptest::collection::vec(any::<u8>(), 0..80usize),
        padded in any::<bool>(),
    ) {
        let text = if padded { URL_SAFE.encode(&bytes) } else { URL_SAFE_NO_PAD.encode(&bytes) };
        let parsed = LocalStateKey::from_b64url(&text);
        if bytes.len() == 32 {
            let expected: [u8; 32] = bytes.as_slice().try_into().unwrap();
            prop_assert_eq!(parsed, Some(LocalStateKey::from_bytes(expected)));
        } else {
            prop_assert!(parsed.is_none());
        }
    }
}
