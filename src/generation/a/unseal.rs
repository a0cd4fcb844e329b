//! Opening a sealed value as a stream (spec §6), so that a sealed thread list
//! of hundreds of MiB is checked, and written back, in constant memory.
//!
//! The envelope's JSON is read a chunk at a time; `cipherText` is base64url-
//! decoded, authenticated (GHASH) and decrypted (AES-256-CTR) as it passes.
//! This is AES-256-GCM with a 96-bit nonce (NIST SP 800-38D), put together
//! from the same RustCrypto parts `aes-gcm` is built from; the tests hold it
//! to `aes-gcm` itself. The plaintext handed out is *unverified* until the
//! whole envelope has been read and a tag checked: callers only keep what
//! they learned from it when [`unseal`] says it opened.
//!
//! Only an envelope as XWorkmate writes one is read this way: an object with
//! `storageFormat`, `nonce`, `cipherText` and `mac` (strings, the nonce before
//! the cipher text, nothing else). Anything else — another shape, a damaged
//! field, text that is not JSON — is [`Unsealed::Irregular`], and the caller
//! reads it whole with [`super::sealed::Envelope`], which words what is wrong.

use std::io::{self, BufRead, BufReader, Read};

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockEncrypt, KeyInit, KeyIvInit, StreamCipher};
use aes::Aes256;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ghash::universal_hash::UniversalHash;
use ghash::GHash;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::sealed::{decode_b64url, LocalStateKey, SEALED_FORMAT};
use crate::stream::CHUNK;

type Ctr = ctr::Ctr32BE<Aes256>;

/// One way to open the envelope: a key and the AAD it was sealed with.
pub type Candidate<'a> = (&'a LocalStateKey, &'a [u8]);

/// What streaming through an envelope found.
#[derive(Debug)]
pub enum Unsealed<T> {
    /// Not an envelope as XWorkmate writes one, or a damaged one: read it
    /// whole (its words come from there).
    Irregular,
    /// A well-formed envelope that no candidate opens.
    NotOpened,
    /// Candidate `by` opened it. `seen` is what `consume` made of the
    /// plaintext when `by` was the lead candidate (`None`: it was not, so the
    /// plaintext `consume` saw was not this; read again with `by` as lead).
    Opened {
        by: usize,
        seen: Option<T>,
        /// The envelope's tag: the same tag opening again under the same key
        /// means the same cipher text, so the same plaintext.
        mac: [u8; 16],
        /// The plaintext's length in bytes.
        len: u64,
    },
}

/// Streams the envelope read from `src`: every candidate's tag is computed,
/// and `consume` reads the plaintext as decrypted with `candidates[lead]`
/// (untrusted until this returns `Opened { by: lead, .. }`). The rest of the
/// envelope is read to its end even when `consume` stops early.
/// `Err`: `src` could not be read.
pub fn unseal<R: Read, T>(
    src: R,
    candidates: &[Candidate<'_>],
    lead: usize,
    consume: impl FnOnce(&mut dyn Read) -> T,
) -> io::Result<Unsealed<T>> {
    let mut lex = BufReader::with_capacity(CHUNK, src);
    let Some(head) = read_head(&mut lex)? else {
        return Ok(Unsealed::Irregular);
    };
    let mut opening = Opening::new(lex, head, candidates, lead);
    let seen = consume(&mut opening);
    // The consumer may have stopped early: the tags need every byte.
    opening.ctr = None;
    let mut scratch = vec![0u8; CHUNK];
    loop {
        match opening.read(&mut scratch) {
            Ok(0) => break,
            Ok(_) => {}
            Err(_) if opening.irregular => return Ok(Unsealed::Irregular),
            Err(e) => return Err(e),
        }
    }
    if opening.irregular {
        return Ok(Unsealed::Irregular);
    }
    let Some(mac) = opening.finish_tail()? else {
        return Ok(Unsealed::Irregular);
    };
    let len = opening.c_len;
    let by = opening
        .auths
        .into_iter()
        .position(|a| a.verifies(len, &mac));
    Ok(match by {
        None => Unsealed::NotOpened,
        Some(by) => Unsealed::Opened {
            by,
            seen: (by == lead).then_some(seen),
            mac,
            len,
        },
    })
}

/// Whether `src` is a well-formed sealed value as XWorkmate writes one (its
/// base64 checked, nothing decrypted or kept): what looking needs to know.
/// `false` says nothing more — read it whole to learn what it is.
pub fn is_envelope(src: impl Read) -> io::Result<bool> {
    Ok(matches!(unseal(src, &[], 0, |_| ())?, Unsealed::NotOpened))
}

/// The envelope's fields read before its cipher text.
struct Head {
    format: Option<String>,
    nonce: [u8; 12],
    mac: Option<String>,
}

/// Reads `{`, then fields up to the opening quote of `cipherText`. `None`:
/// not an envelope as XWorkmate writes one.
fn read_head<R: BufRead>(lex: &mut R) -> io::Result<Option<Head>> {
    skip_while(lex, is_outer_ws)?;
    if peek(lex)? != Some(b'{') {
        return Ok(None);
    }
    lex.consume(1);
    let mut format = None;
    let mut nonce = None;
    let mut mac = None;
    loop {
        let Some(key) = string_field(lex)? else {
            return Ok(None);
        };
        let slot = match key.as_str() {
            "storageFormat" => &mut format,
            "nonce" => &mut nonce,
            "mac" => &mut mac,
            "cipherText" => {
                let Some(nonce) = nonce.as_deref().and_then(decode_b64url) else {
                    return Ok(None);
                };
                let Ok(nonce) = <[u8; 12]>::try_from(nonce.as_slice()) else {
                    return Ok(None);
                };
                return Ok(Some(Head { format, nonce, mac }));
            }
            _ => return Ok(None),
        };
        if slot.is_some() {
            return Ok(None);
        }
        let Some(value) = short_string(lex)? else {
            return Ok(None);
        };
        *slot = Some(value);
        skip_while(lex, is_json_ws)?;
        if peek(lex)? != Some(b',') {
            // `}` before the cipher text: an envelope without one.
            return Ok(None);
        }
        lex.consume(1);
    }
}

/// `"key": "` — a field whose value is a string: its key, read up to the
/// value's opening quote. `None`: anything else.
fn string_field<R: BufRead>(lex: &mut R) -> io::Result<Option<String>> {
    skip_while(lex, is_json_ws)?;
    if peek(lex)? != Some(b'"') {
        return Ok(None);
    }
    lex.consume(1);
    let Some(key) = short_string(lex)? else {
        return Ok(None);
    };
    for expected in [b':', b'"'] {
        skip_while(lex, is_json_ws)?;
        if peek(lex)? != Some(expected) {
            return Ok(None);
        }
        lex.consume(1);
    }
    Ok(Some(key))
}

fn peek<R: BufRead>(lex: &mut R) -> io::Result<Option<u8>> {
    Ok(lex.fill_buf()?.first().copied())
}

fn skip_while<R: BufRead>(lex: &mut R, f: fn(u8) -> bool) -> io::Result<()> {
    loop {
        let buf = lex.fill_buf()?;
        let n = buf.iter().take_while(|b| f(**b)).count();
        let more = n > 0 && n == buf.len();
        lex.consume(n);
        if !more {
            return Ok(());
        }
    }
}

/// Whitespace JSON allows between tokens.
fn is_json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whitespace `str::trim` removes around the whole text (the ASCII part).
fn is_outer_ws(b: u8) -> bool {
    b.is_ascii() && (b as char).is_whitespace()
}

/// The longest field other than the cipher text this reads.
const MAX_SHORT: usize = 4096;

/// A string's content after its opening quote, escapes resolved, through its
/// closing quote. `None`: not ASCII, too long, or not a JSON string.
fn short_string<R: BufRead>(lex: &mut R) -> io::Result<Option<String>> {
    let mut out = String::new();
    loop {
        match string_char(lex)? {
            Char::End => return Ok(Some(out)),
            Char::Bad => return Ok(None),
            Char::Ch(c) => {
                if out.len() >= MAX_SHORT {
                    return Ok(None);
                }
                out.push(c as char);
            }
        }
    }
}

enum Char {
    Ch(u8),
    End,
    Bad,
}

/// One character of a JSON string (an escape resolved). Only ASCII: anything
/// else is `Bad` (a base64 text never holds it; the whole reading words it).
fn string_char<R: BufRead>(lex: &mut R) -> io::Result<Char> {
    let Some(b) = peek(lex)? else {
        return Ok(Char::Bad);
    };
    lex.consume(1);
    Ok(match b {
        b'"' => Char::End,
        b'\\' => {
            let Some(e) = peek(lex)? else {
                return Ok(Char::Bad);
            };
            lex.consume(1);
            match e {
                b'"' | b'\\' | b'/' => Char::Ch(e),
                b'b' => Char::Ch(0x08),
                b'f' => Char::Ch(0x0c),
                b'n' => Char::Ch(b'\n'),
                b'r' => Char::Ch(b'\r'),
                b't' => Char::Ch(b'\t'),
                b'u' => {
                    let mut hex = [0u8; 4];
                    for h in &mut hex {
                        match peek(lex)? {
                            Some(d) if d.is_ascii_hexdigit() => {
                                *h = d;
                                lex.consume(1);
                            }
                            _ => return Ok(Char::Bad),
                        }
                    }
                    let code = std::str::from_utf8(&hex)
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok());
                    match code {
                        Some(c) if c < 0x80 => Char::Ch(c as u8),
                        _ => Char::Bad,
                    }
                }
                _ => Char::Bad,
            }
        }
        // Control characters are not allowed raw in a JSON string.
        0x00..=0x1f | 0x80..=0xff => Char::Bad,
        b => Char::Ch(b),
    })
}

/// A candidate's tag as it is computed: GHASH under its hash key, and the
/// encrypted first counter block the tag is masked with.
struct Auth {
    ghash: GHash,
    ek_j0: Zeroizing<[u8; 16]>,
    aad_bits: u64,
}

impl Auth {
    fn new(key: &LocalStateKey, nonce: &[u8; 12], aad: &[u8]) -> Self {
        let cipher = Aes256::new(GenericArray::from_slice(key.expose_bytes()));
        let mut h = Zeroizing::new([0u8; 16]);
        cipher.encrypt_block(GenericArray::from_mut_slice(&mut h[..]));
        let mut ghash = GHash::new(GenericArray::from_slice(&h[..]));
        ghash.update_padded(aad);
        let mut ek_j0 = Zeroizing::new(j0(nonce));
        cipher.encrypt_block(GenericArray::from_mut_slice(&mut ek_j0[..]));
        Auth {
            ghash,
            ek_j0,
            aad_bits: aad.len() as u64 * 8,
        }
    }

    /// Whether the tag over `len` bytes of cipher text (fed already, the last
    /// partial block included) is `mac`.
    fn verifies(mut self, len: u64, mac: &[u8; 16]) -> bool {
        let mut lengths = [0u8; 16];
        lengths[..8].copy_from_slice(&self.aad_bits.to_be_bytes());
        lengths[8..].copy_from_slice(&(len * 8).to_be_bytes());
        self.ghash.update(&[lengths.into()]);
        let s = self.ghash.finalize();
        let mut tag = [0u8; 16];
        for (t, (a, b)) in tag.iter_mut().zip(s.iter().zip(self.ek_j0.iter())) {
            *t = a ^ b;
        }
        tag.ct_eq(mac).into()
    }
}

/// The first counter block of a 96-bit nonce: nonce ‖ 0x00000001.
fn j0(nonce: &[u8; 12]) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..12].copy_from_slice(nonce);
    b[15] = 1;
    b
}

/// Where the base64 text is: before it (leading blanks `trim` would remove),
/// in it, in its `=` padding, or in the blanks after it.
#[derive(Clone, Copy, PartialEq)]
enum B64State {
    Lead,
    Text,
    Pad,
    Tail,
}

/// The plaintext as a reader, over the envelope's cipher text.
struct Opening<R> {
    lex: BufReader<R>,
    head: Head,
    auths: Vec<Auth>,
    /// The lead candidate's decryption; `None` once nobody reads the plaintext.
    ctr: Option<Ctr>,
    state: B64State,
    /// Base64 characters not decoded yet (fewer than a chunk).
    chars: Vec<u8>,
    /// Bytes decoded, authenticated and decrypted (the first `out_len`),
    /// from `out_at` on not given out yet.
    out: Vec<u8>,
    out_len: usize,
    out_at: usize,
    /// Cipher text bytes short of a whole GHASH block.
    partial: [u8; 16],
    partial_len: usize,
    c_len: u64,
    /// The closing quote of the cipher text was read.
    closed: bool,
    irregular: bool,
}

impl<R: Read> Opening<R> {
    fn new(lex: BufReader<R>, head: Head, candidates: &[Candidate<'_>], lead: usize) -> Self {
        let ctr = candidates.get(lead).map(|(key, _)| {
            let mut iv = j0(&head.nonce);
            iv[15] = 2;
            Ctr::new(
                GenericArray::from_slice(key.expose_bytes()),
                GenericArray::from_slice(&iv),
            )
        });
        let auths = candidates
            .iter()
            .map(|(key, aad)| Auth::new(key, &head.nonce, aad))
            .collect();
        Opening {
            lex,
            head,
            auths,
            ctr,
            state: B64State::Lead,
            chars: Vec::with_capacity(CHUNK + 4),
            out: Vec::new(),
            out_len: 0,
            out_at: 0,
            partial: [0; 16],
            partial_len: 0,
            c_len: 0,
            closed: false,
            irregular: false,
        }
    }

    fn irregular(&mut self) -> io::Error {
        self.irregular = true;
        io::Error::new(
            io::ErrorKind::InvalidData,
            "not a sealed value as XWorkmate writes one",
        )
    }

    /// Reads base64 characters into `chars` until a chunk's worth or the
    /// closing quote, checking the shape `trim` and `=` padding allow.
    fn gather(&mut self) -> io::Result<()> {
        while self.chars.len() < CHUNK && !self.closed {
            if self.state == B64State::Text {
                // The bulk, copied up to the next quote, escape or `=`; the
                // decoder checks every character. Blanks that end it are
                // left to the character-by-character reading (a blank is
                // allowed only after the text).
                let buf = self.lex.fill_buf()?;
                let window = &buf[..buf.len().min(CHUNK - self.chars.len())];
                let mut n = memchr::memchr3(b'"', b'\\', b'=', window).unwrap_or(window.len());
                while n > 0 && is_outer_ws(window[n - 1]) {
                    n -= 1;
                }
                if n > 0 {
                    let start = self.chars.len();
                    self.chars.extend_from_slice(&window[..n]);
                    self.lex.consume(n);
                    let added = &mut self.chars[start..];
                    // The standard alphabet, which `decode_b64url` also takes.
                    if memchr::memchr2(b'+', b'/', added).is_some() {
                        for c in added {
                            *c = match *c {
                                b'+' => b'-',
                                b'/' => b'_',
                                c => c,
                            };
                        }
                    }
                    continue;
                }
            }
            let c = match string_char(&mut self.lex)? {
                Char::End => {
                    self.closed = true;
                    break;
                }
                Char::Bad => return Err(self.irregular()),
                Char::Ch(c) => c,
            };
            let blank = is_outer_ws(c);
            let c = match c {
                // The standard alphabet, which `decode_b64url` also takes.
                b'+' => b'-',
                b'/' => b'_',
                c => c,
            };
            self.state = match (self.state, c) {
                (B64State::Lead, _) if blank => B64State::Lead,
                (B64State::Lead | B64State::Text, b'=') => B64State::Pad,
                (B64State::Lead | B64State::Text, c)
                    if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' =>
                {
                    self.chars.push(c);
                    B64State::Text
                }
                (B64State::Text | B64State::Pad | B64State::Tail, _) if blank => B64State::Tail,
                (B64State::Pad, b'=') => B64State::Pad,
                _ => return Err(self.irregular()),
            };
        }
        Ok(())
    }

    /// Decodes what was gathered (whole groups of four; at the end, the
    /// rest), then authenticates and decrypts it into `out`.
    fn refill(&mut self) -> io::Result<()> {
        self.out_len = 0;
        self.out_at = 0;
        while self.out_len == 0 && !(self.closed && self.chars.is_empty()) {
            self.gather()?;
            let whole = if self.closed {
                self.chars.len()
            } else {
                self.chars.len() / 4 * 4
            };
            let mut decoded = std::mem::take(&mut self.out);
            // Grown once to a chunk's worth; never zeroed again.
            let need = whole / 4 * 3 + 3;
            if decoded.capacity() < need || decoded.is_empty() {
                decoded.resize(need.max(CHUNK / 4 * 3 + 3), 0);
            }
            decoded.resize(decoded.capacity(), 0);
            let n = match URL_SAFE_NO_PAD.decode_slice(&self.chars[..whole], &mut decoded) {
                Ok(n) => n,
                Err(_) => return Err(self.irregular()),
            };
            self.chars.drain(..whole);
            self.absorb(&mut decoded[..n]);
            self.out = decoded;
            self.out_len = n;
        }
        Ok(())
    }

    /// Feeds cipher text to every tag, then decrypts it in place.
    fn absorb(&mut self, data: &mut [u8]) {
        let mut rest: &[u8] = data;
        if self.partial_len > 0 {
            let take = rest.len().min(16 - self.partial_len);
            self.partial[self.partial_len..self.partial_len + take].copy_from_slice(&rest[..take]);
            self.partial_len += take;
            rest = &rest[take..];
            if self.partial_len == 16 {
                for a in &mut self.auths {
                    a.ghash.update_padded(&self.partial);
                }
                self.partial_len = 0;
            }
        }
        let whole = rest.len() / 16 * 16;
        if whole > 0 {
            for a in &mut self.auths {
                a.ghash.update_padded(&rest[..whole]);
            }
        }
        let tail = &rest[whole..];
        self.partial[..tail.len()].copy_from_slice(tail);
        self.partial_len += tail.len();
        self.c_len += data.len() as u64;
        if let Some(ctr) = &mut self.ctr {
            ctr.apply_keystream(data);
        }
    }

    /// After the cipher text: the last partial block into every tag, the rest
    /// of the object and the end of the text. The tag's bytes, or `None` when
    /// the envelope is not as XWorkmate writes one.
    fn finish_tail(&mut self) -> io::Result<Option<[u8; 16]>> {
        if self.partial_len > 0 {
            for a in &mut self.auths {
                a.ghash.update_padded(&self.partial[..self.partial_len]);
            }
            self.partial_len = 0;
        }
        let lex = &mut self.lex;
        loop {
            skip_while(lex, is_json_ws)?;
            match peek(lex)? {
                Some(b'}') => {
                    lex.consume(1);
                    break;
                }
                Some(b',') => lex.consume(1),
                _ => return Ok(None),
            }
            let Some(key) = string_field(lex)? else {
                return Ok(None);
            };
            let slot = match key.as_str() {
                "storageFormat" => &mut self.head.format,
                "mac" => &mut self.head.mac,
                _ => return Ok(None),
            };
            if slot.is_some() {
                return Ok(None);
            }
            let Some(value) = short_string(lex)? else {
                return Ok(None);
            };
            *slot = Some(value);
        }
        skip_while(lex, is_outer_ws)?;
        if peek(lex)?.is_some() {
            return Ok(None);
        }
        if self.head.format.as_deref() != Some(SEALED_FORMAT) {
            return Ok(None);
        }
        let mac = self.head.mac.as_deref().and_then(decode_b64url);
        Ok(mac.and_then(|m| <[u8; 16]>::try_from(m.as_slice()).ok()))
    }
}

impl<R: Read> Read for Opening<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.irregular {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a sealed value as XWorkmate writes one",
            ));
        }
        if self.out_at == self.out_len {
            self.refill()?;
        }
        let n = buf.len().min(self.out_len - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sealed::{encode_b64url, Envelope};
    use aes_gcm::aead::{Aead, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};

    /// An envelope sealed by `aes-gcm` itself, as gen_store and XWorkmate write it.
    fn seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], plain: &[u8]) -> String {
        let cipher = <Aes256Gcm as aes_gcm::KeyInit>::new_from_slice(key).unwrap();
        let mut sealed = cipher
            .encrypt(Nonce::from_slice(nonce), Payload { msg: plain, aad })
            .unwrap();
        let mac = sealed.split_off(sealed.len() - 16);
        format!(
            r#"{{"storageFormat":"{SEALED_FORMAT}","nonce":"{}","cipherText":"{}","mac":"{}"}}"#,
            encode_b64url(nonce),
            encode_b64url(&sealed),
            encode_b64url(&mac)
        )
    }

    /// A reader handing out at most `step` bytes per read.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn open_all(text: &str, keys: &[Candidate<'_>], lead: usize, step: usize) -> Unsealed<Vec<u8>> {
        unseal(Trickle(text.as_bytes(), step), keys, lead, |r| {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
        .unwrap()
    }

    /// What the whole-text reading makes of `text` with `key` and `aad`.
    fn whole(text: &str, key: &LocalStateKey, aad: &[u8]) -> Option<Vec<u8>> {
        Envelope::from_text(text)
            .ok()?
            .open(key, aad)
            .ok()
            .map(|p| p.to_vec())
    }

    #[test]
    fn opens_what_aes_gcm_sealed_at_every_length_and_read_size() {
        let key_bytes: [u8; 32] = std::array::from_fn(|i| i as u8 * 3 + 1);
        let key = LocalStateKey::from_bytes(key_bytes);
        let nonce: [u8; 12] = std::array::from_fn(|i| i as u8 + 9);
        for len in [
            0usize,
            1,
            15,
            16,
            17,
            31,
            32,
            33,
            255,
            1000,
            CHUNK + 7,
            3 * CHUNK / 2,
        ] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let text = seal(&key_bytes, &nonce, b"xworkmate.assistant.threads", &plain);
            for step in [1usize, 3, 4096, usize::MAX] {
                if step < 16 && len > 1000 {
                    continue;
                }
                match open_all(&text, &[(&key, b"xworkmate.assistant.threads")], 0, step) {
                    Unsealed::Opened {
                        by: 0,
                        seen: Some(p),
                        len: l,
                        ..
                    } => {
                        assert_eq!(p, plain, "len {len} step {step}");
                        assert_eq!(l, len as u64);
                    }
                    other => panic!("len {len} step {step}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn a_wrong_key_or_aad_does_not_open_and_the_right_one_is_named() {
        let good: [u8; 32] = [5; 32];
        let nonce = [1u8; 12];
        let text = seal(&good, &nonce, b"aad-1", b"[1,2,3]");
        let wrong = LocalStateKey::from_bytes([6; 32]);
        let right = LocalStateKey::from_bytes(good);
        assert!(matches!(
            open_all(&text, &[(&wrong, b"aad-1"), (&right, b"aad-2")], 0, 7),
            Unsealed::NotOpened
        ));
        match open_all(&text, &[(&wrong, b"aad-1"), (&right, b"aad-1")], 0, 7) {
            Unsealed::Opened {
                by: 1, seen: None, ..
            } => {}
            other => panic!("{other:?}"),
        }
        match open_all(&text, &[(&wrong, b"aad-1"), (&right, b"aad-1")], 1, 7) {
            Unsealed::Opened {
                by: 1,
                seen: Some(p),
                ..
            } => assert_eq!(p, b"[1,2,3]"),
            other => panic!("{other:?}"),
        }
        // No candidates: checked as an envelope, opened by none.
        assert!(matches!(open_all(&text, &[], 0, 7), Unsealed::NotOpened));
    }

    #[test]
    fn a_tampered_byte_is_not_opened() {
        let key_bytes = [9u8; 32];
        let key = LocalStateKey::from_bytes(key_bytes);
        let plain = vec![b'x'; 100];
        let text = seal(&key_bytes, &[2; 12], b"a", &plain);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut c = crate::sealed::decode_b64url(v["cipherText"].as_str().unwrap()).unwrap();
        c[50] ^= 1;
        let tampered = text.replace(v["cipherText"].as_str().unwrap(), &encode_b64url(&c));
        assert!(matches!(
            open_all(&tampered, &[(&key, b"a")], 0, 64),
            Unsealed::NotOpened
        ));
    }

    /// The consumer stops early: the tag is still checked over all of it.
    #[test]
    fn a_consumer_that_stops_early_still_gets_a_checked_answer() {
        let key_bytes = [3u8; 32];
        let key = LocalStateKey::from_bytes(key_bytes);
        let plain = vec![b'y'; 5 * CHUNK];
        let text = seal(&key_bytes, &[4; 12], b"a", &plain);
        let r = unseal(text.as_bytes(), &[(&key, b"a")], 0, |r| {
            let mut b = [0u8; 10];
            r.read_exact(&mut b).map(|()| b)
        })
        .unwrap();
        match r {
            Unsealed::Opened {
                by: 0,
                seen: Some(Ok(b)),
                len,
                ..
            } => {
                assert_eq!(&b, b"yyyyyyyyyy");
                assert_eq!(len, 5 * CHUNK as u64);
            }
            other => panic!("{other:?}"),
        }
    }

    /// Every variation of the text is read as the whole-text reading reads
    /// it, or left to it (`Irregular`) — never opened differently.
    #[test]
    fn variations_open_as_the_whole_reading_opens_them_or_are_left_to_it() {
        let key_bytes = [7u8; 32];
        let key = LocalStateKey::from_bytes(key_bytes);
        let nonce = [8u8; 12];
        let plain = br#"[{"sessionKey":"a","title":"t","messages":[]}]"#;
        let base = seal(&key_bytes, &nonce, b"k", plain);
        let v: serde_json::Value = serde_json::from_str(&base).unwrap();
        let ct = v["cipherText"].as_str().unwrap().to_string();
        let mac = v["mac"].as_str().unwrap().to_string();
        let nonce_t = v["nonce"].as_str().unwrap().to_string();
        let std_alphabet = ct.replace('-', "+").replace('_', "/");
        let escaped: String = ct.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
        let cases: Vec<String> = vec![
            base.clone(),
            format!("  \n\x0c{base}\t \x0b"),
            base.replace(',', " ,\n "),
            base.replace(&ct, &format!(" \t{ct}\n ")),
            base.replace(&ct, &format!("{ct}==")),
            base.replace(&ct, &format!("{ct}= =")),
            base.replace(&ct, &format!("{ct} x")),
            base.replace(&ct, &std_alphabet),
            base.replace(&ct, &escaped),
            base.replace(&ct, &format!("{ct}!")),
            base.replace(&ct, &ct[..ct.len() - 1]),
            base.replace(&mac, &mac[..4]),
            base.replace(&nonce_t, &nonce_t[..4]),
            base.replace(SEALED_FORMAT, "other.v9"),
            base.replace("\"mac\"", "\"mac2\""),
            base.replace("}", ",\"x\":[1]}"),
            format!("{base} x"),
            base[..base.len() - 1].to_string(),
            // The nonce after the cipher text: not as XWorkmate writes it.
            format!(
                r#"{{"storageFormat":"{SEALED_FORMAT}","cipherText":"{ct}","nonce":"{nonce_t}","mac":"{mac}"}}"#
            ),
            // The mac and format after it: as fine as before it.
            format!(
                r#"{{"nonce":"{nonce_t}","cipherText":"{ct}","mac":"{mac}","storageFormat":"{SEALED_FORMAT}"}}"#
            ),
            format!(
                r#"{{"storageFormat":"{SEALED_FORMAT}","nonce":"{nonce_t}","mac":"{mac}","cipherText":"{ct}","mac":"{mac}"}}"#
            ),
            "[1,2]".into(),
            "{}".into(),
        ];
        for text in cases {
            let want = whole(&text, &key, b"k");
            for step in [1usize, 5, 1 << 20] {
                match open_all(&text, &[(&key, b"k")], 0, step) {
                    Unsealed::Opened {
                        by: 0,
                        seen: Some(p),
                        ..
                    } => {
                        assert_eq!(Some(p), want, "{text:?}")
                    }
                    Unsealed::Irregular => {}
                    Unsealed::NotOpened => assert!(
                        Envelope::from_text(&text).is_ok() && want.is_none(),
                        "{text:?}"
                    ),
                    other => panic!("{text:?}: {other:?}"),
                }
            }
        }
        // The form XWorkmate writes is never left to the whole reading.
        assert!(matches!(
            open_all(&base, &[(&key, b"k")], 0, 5),
            Unsealed::Opened { .. }
        ));
    }
}
