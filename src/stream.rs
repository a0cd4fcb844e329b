//! Reading and writing stored values as streams, so that no operation holds a
//! whole thread list (hundreds of MiB) in memory: UTF-8 checked on the way,
//! two values compared byte for byte (or as JSON) without keeping either, and
//! a value written into a JSON file as a string without an escaped copy.

use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read, Write};

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The buffer every stream is read through.
pub const CHUNK: usize = 256 * 1024;

/// A reader that fails (`InvalidData`, "not UTF-8 text") at the first byte
/// sequence that is not UTF-8, and counts the bytes it passed on. A sequence
/// split between two reads is checked when its end arrives.
pub struct Utf8Checked<R> {
    inner: R,
    /// The start of a sequence cut by the end of the last read.
    carry: Vec<u8>,
    bytes: u64,
}

impl<R: Read> Utf8Checked<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            carry: Vec::new(),
            bytes: 0,
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

pub fn not_utf8() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")
}

impl<R: Read> Read for Utf8Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            return if self.carry.is_empty() {
                Ok(0)
            } else {
                Err(not_utf8())
            };
        }
        self.bytes += n as u64;
        let mut data = &buf[..n];
        // Finish the sequence the last read cut, byte by byte.
        while !self.carry.is_empty() && !data.is_empty() {
            self.carry.push(data[0]);
            data = &data[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_some() => return Err(not_utf8()),
                Err(_) => {}
            }
        }
        if let Err(e) = std::str::from_utf8(data) {
            if e.error_len().is_some() {
                return Err(not_utf8());
            }
            self.carry.extend_from_slice(&data[e.valid_up_to()..]);
        }
        Ok(n)
    }
}

/// Whether two streams hold the same text once leading and trailing
/// whitespace is set aside (the way a stored value and its mirror file are
/// compared). Reads both once, keeps two buffers.
pub fn same_trimmed(a: impl Read, b: impl Read) -> io::Result<bool> {
    same_bufs(Trimmed::new(a), Trimmed::new(b))
}

/// Whether two buffered streams give the same bytes.
fn same_bufs(mut a: impl BufRead, mut b: impl BufRead) -> io::Result<bool> {
    loop {
        let (x, y) = (a.fill_buf()?, b.fill_buf()?);
        if x.is_empty() || y.is_empty() {
            return Ok(x.is_empty() && y.is_empty());
        }
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return Ok(false);
        }
        a.consume(n);
        b.consume(n);
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The bytes of a stream without its leading and trailing whitespace: a run
/// of whitespace is given out only once something follows it.
struct Trimmed<R> {
    inner: BufReader<R>,
    started: bool,
    /// Whitespace held back until something follows it (or dropped at the end).
    held: Vec<u8>,
    /// Of `held`, how much was already given out.
    held_pos: usize,
}

impl<R: Read> Read for Trimmed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let chunk = self.next_chunk()?;
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Trimmed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.next_chunk()
    }

    fn consume(&mut self, n: usize) {
        Trimmed::consume(self, n)
    }
}

impl<R: Read> Trimmed<R> {
    fn new(inner: R) -> Self {
        Self {
            inner: BufReader::with_capacity(CHUNK, inner),
            started: false,
            held: Vec::new(),
            held_pos: 0,
        }
    }

    /// The next bytes to compare (empty at the end); `consume` takes them.
    /// Whitespace inside the text is given out with it; only a buffer that
    /// is all whitespace is held back, until something follows it.
    fn next_chunk(&mut self) -> io::Result<&[u8]> {
        loop {
            if self.held_pos < self.held.len() {
                return Ok(&self.held[self.held_pos..]);
            }
            self.held.clear();
            self.held_pos = 0;
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(&[]);
            }
            if !self.started {
                let ws = buf.iter().take_while(|b| is_ws(**b)).count();
                self.started = ws < buf.len();
                self.inner.consume(ws);
                continue;
            }
            if let Some(last) = buf.iter().rposition(|b| !is_ws(*b)) {
                return Ok(&self.inner.buffer()[..=last]);
            }
            // All whitespace: trailing if the stream ends inside it.
            let mut run = Vec::new();
            loop {
                let buf = self.inner.fill_buf()?;
                if buf.is_empty() {
                    return Ok(&[]);
                }
                let len = buf.len();
                let ws = buf.iter().take_while(|b| is_ws(**b)).count();
                run.extend_from_slice(&buf[..ws]);
                self.inner.consume(ws);
                if ws < len {
                    break;
                }
            }
            self.held = run;
        }
    }

    fn consume(&mut self, n: usize) {
        if self.held_pos < self.held.len() {
            self.held_pos += n;
        } else {
            self.inner.consume(n);
        }
    }
}

/// Reads a JSON array as a stream, one item at a time: `each` gets every
/// item, parsed as `T`, and answers whether to go on. Only the item being
/// read is held (the buffer grows to the largest item). `Ok(true)`: the
/// stream was an array (whitespace around it allowed), every item parsed,
/// and `each` never said stop; `Ok(false)` otherwise (the caller reads it
/// again for the exact error).
pub fn for_each_item<T: serde::de::DeserializeOwned>(
    r: impl Read,
    mut each: impl FnMut(T) -> bool,
) -> io::Result<bool> {
    let mut src = ItemBuf {
        r,
        buf: Vec::with_capacity(4 * CHUNK),
        pos: 0,
        eof: false,
    };
    if src.next_non_ws()? != Some(b'[') {
        return Ok(false);
    }
    src.pos += 1;
    if src.next_non_ws()? == Some(b']') {
        src.pos += 1;
        return src.only_ws_left();
    }
    loop {
        // One item, from `pos`.
        let (item, used) = {
            let mut it = serde_json::Deserializer::from_slice(&src.buf[src.pos..]).into_iter::<T>();
            (it.next(), it.byte_offset())
        };
        match item {
            // Ends at the end of what was read: a number may go on, and a
            // whole value needs the byte after it. Read more, parse again.
            Some(Ok(_)) if src.pos + used == src.buf.len() && !src.eof => src.more()?,
            Some(Ok(v)) => {
                if !each(v) {
                    return Ok(false);
                }
                src.pos += used;
                match src.next_non_ws()? {
                    Some(b',') => src.pos += 1,
                    Some(b']') => {
                        src.pos += 1;
                        return src.only_ws_left();
                    }
                    _ => return Ok(false),
                }
            }
            Some(Err(e)) if e.is_eof() && !src.eof => src.more()?,
            None if !src.eof => src.more()?,
            _ => return Ok(false),
        }
    }
}

/// The buffer of [`for_each_item`]: `buf[pos..]` is not consumed yet.
struct ItemBuf<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> ItemBuf<R> {
    /// Reads more, keeping `buf[pos..]` (now at 0): at least as much as is
    /// kept, so that an item parsed again and again costs twice its size.
    fn more(&mut self) -> io::Result<()> {
        self.buf.drain(..self.pos);
        self.pos = 0;
        let old = self.buf.len();
        // (Tests read in small pieces: every item crosses a boundary.)
        let want = if cfg!(test) { 64 } else { 4 * CHUNK };
        self.buf.resize(old + want.max(old), 0);
        let n = loop {
            match self.r.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.eof = n == 0;
        self.buf.truncate(old + n);
        Ok(())
    }

    /// The next byte that is not whitespace (not consumed), reading as needed.
    fn next_non_ws(&mut self) -> io::Result<Option<u8>> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                if !is_ws(b) {
                    return Ok(Some(b));
                }
                self.pos += 1;
            }
            if self.eof {
                return Ok(None);
            }
            self.more()?;
        }
    }

    fn only_ws_left(&mut self) -> io::Result<bool> {
        Ok(self.next_non_ws()?.is_none())
    }
}

/// Reads on another thread while `consume` parses: `produce` opens the
/// source there and copies it into the [`Pump`] (UTF-8 checked on that
/// thread); `consume` reads the bytes in order. On two cores the reading and
/// the parsing overlap; at most four chunks are in flight, so memory stays
/// flat. A read error reaches `consume` as the error of its next read.
pub fn read_ahead<T>(
    produce: impl FnOnce(&mut Pump) -> io::Result<()> + Send,
    consume: impl FnOnce(&mut dyn Read) -> T,
) -> T {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
        scope.spawn(move || {
            let mut pump = Pump { tx };
            if let Err(e) = produce(&mut pump) {
                let _ = pump.tx.send(Err(e));
            }
        });
        let mut reader = ChannelReader {
            rx,
            chunk: Vec::new(),
            pos: 0,
            done: false,
        };
        consume(&mut reader)
    })
}

/// [`read_ahead`] the other way round: `feed` runs on this thread and puts
/// the bytes into the [`Pump`] (UTF-8 checked there), while `parse` reads
/// them on a second thread — for a source that cannot move to another thread
/// (a blob handle) or whose reading is the heavy part (opening a sealed
/// value). `parse` sees the end of the stream when `feed` returns; when
/// `parse` stops early, `feed`'s copying stops quietly.
pub fn parse_aside<U, T: Send>(
    feed: impl FnOnce(&mut Pump) -> U,
    parse: impl FnOnce(&mut dyn Read) -> T + Send,
) -> (U, T) {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
        let parsed = scope.spawn(move || {
            let mut reader = ChannelReader {
                rx,
                chunk: Vec::new(),
                pos: 0,
                done: false,
            };
            parse(&mut reader)
        });
        let mut pump = Pump { tx };
        let fed = feed(&mut pump);
        drop(pump);
        let parsed = parsed
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fed, parsed)
    })
}

/// Where [`read_ahead`]'s producer (or [`parse_aside`]'s feeder) puts the bytes.
pub struct Pump {
    tx: std::sync::mpsc::SyncSender<io::Result<Vec<u8>>>,
}

impl Pump {
    /// Copies `r`, UTF-8 checked, in chunks. Stops early (quietly) when the
    /// reading side has finished.
    pub fn copy_from(&mut self, r: impl Read) -> io::Result<()> {
        let mut r = Utf8Checked::new(r);
        loop {
            let mut buf = vec![0u8; 4 * CHUNK];
            let mut filled = 0;
            while filled < buf.len() {
                match r.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            if filled == 0 {
                return Ok(());
            }
            buf.truncate(filled);
            if self.tx.send(Ok(buf)).is_err() {
                return Ok(());
            }
        }
    }
}

struct ChannelReader {
    rx: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A reader that keeps a copy of everything read through it.
pub struct Tee<'a, R> {
    inner: R,
    copy: &'a mut Vec<u8>,
}

impl<'a, R: Read> Tee<'a, R> {
    pub fn new(inner: R, copy: &'a mut Vec<u8>) -> Self {
        Tee { inner, copy }
    }
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Copies a stream without its leading and trailing whitespace; returns the
/// bytes written.
pub fn copy_trimmed(r: impl Read, w: &mut (impl Write + ?Sized)) -> io::Result<u64> {
    io::copy(&mut Trimmed::new(r), w)
}

/// Whether two streams hold exactly the same bytes.
pub fn same_bytes(a: impl Read, b: impl Read) -> io::Result<bool> {
    same_bufs(
        BufReader::with_capacity(CHUNK, a),
        BufReader::with_capacity(CHUNK, b),
    )
}

/// A hash of a JSON document's value, not its text: the same for two texts
/// that `serde_json::Value` would find equal (whitespace, escapes, the order
/// of an object's keys), read as a stream and keeping nothing.
pub fn json_value_hash(r: impl Read) -> Result<u64, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(CHUNK, r));
    let h = ValueHash.deserialize(&mut de)?;
    de.end()?;
    Ok(h)
}

#[derive(Clone, Copy)]
struct ValueHash;

fn hash_of(tag: u8, v: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    tag.hash(&mut h);
    v.hash(&mut h);
    h.finish()
}

impl<'de> DeserializeSeed<'de> for ValueHash {
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueHash {
    type Value = u64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<u64, E> {
        Ok(hash_of(0, ()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<u64, E> {
        Ok(hash_of(1, v))
    }
    // serde_json's Number: a non-negative integer, a negative one, a float.
    fn visit_u64<E>(self, v: u64) -> Result<u64, E> {
        Ok(hash_of(2, v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<u64, E> {
        Ok(if v >= 0 {
            hash_of(2, v as u64)
        } else {
            hash_of(3, v)
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<u64, E> {
        Ok(hash_of(4, v.to_bits()))
    }
    fn visit_str<E>(self, v: &str) -> Result<u64, E> {
        Ok(hash_of(5, v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        6u8.hash(&mut h);
        let mut n = 0u64;
        while let Some(item) = seq.next_element_seed(ValueHash)? {
            item.hash(&mut h);
            n += 1;
        }
        n.hash(&mut h);
        Ok(h.finish())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        // Key order does not matter (as for `Value`): entries are summed.
        let mut sum = 0u64;
        let mut n = 0u64;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value_seed(ValueHash)?;
            sum = sum.wrapping_add(hash_of(7, (key.as_ref(), value)));
            n += 1;
        }
        Ok(hash_of(8, (sum, n)))
    }
}

/// Writes the text of `r` as a JSON string (quotes included), escaping as
/// serde_json does, without holding it. The text must be UTF-8 (check it
/// with [`Utf8Checked`]).
pub fn write_json_string(mut r: impl Read, w: &mut (impl Write + ?Sized)) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    w.write_all(b"\"")?;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        let chunk = &buf[..n];
        let mut start = 0;
        for (i, &b) in chunk.iter().enumerate() {
            let esc: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => b"",
                _ => continue,
            };
            w.write_all(&chunk[start..i])?;
            if esc.is_empty() {
                write!(w, "\\u{:04x}", b)?;
            } else {
                w.write_all(esc)?;
            }
            start = i + 1;
        }
        w.write_all(&chunk[start..])?;
    }
    w.write_all(b"\"")?;
    Ok(total)
}

/// A `Deserialize` for `json_value_hash` callers that already hold a
/// deserializer.
pub struct HashedValue(pub u64);

impl<'de> Deserialize<'de> for HashedValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ValueHash.deserialize(d).map(HashedValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads in small, uneven pieces: every boundary case of the adapters.
    struct Drip<'a>(&'a [u8], usize);
    impl Read for Drip<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn checked(bytes: &[u8], step: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Utf8Checked::new(Drip(bytes, step)).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn utf8_checked_matches_std_at_every_split() {
        let good = "线程 1 — ok ✓ 𝄞".as_bytes();
        for step in 1..8 {
            assert_eq!(checked(good, step).unwrap(), good);
        }
        for bad in [
            &b"ab\xffcd"[..],
            b"\xe7\xba",
            b"x\xe7\xba",
            b"\xc3\x28",
            b"\xed\xa0\x80",
        ] {
            for step in 1..6 {
                let e = checked(bad, step).unwrap_err();
                assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{bad:?} step {step}");
            }
        }
    }

    fn same(a: &str, b: &str, step: usize) -> bool {
        same_trimmed(Drip(a.as_bytes(), step), Drip(b.as_bytes(), step)).unwrap()
    }

    #[test]
    fn same_trimmed_sets_only_the_ends_aside() {
        for step in [1, 2, 3, 7, 1 << 20] {
            assert!(same("[1, 2]", "[1, 2]", step));
            assert!(same("  \n[1, 2]\n\n", "[1, 2]", step));
            assert!(same("", "  \n ", step));
            assert!(!same("[1, 2]", "[1,2]", step));
            assert!(!same("[1,  2]", "[1, 2]", step));
            assert!(!same("[1,\n2]", "[1, 2]", step));
            assert!(!same("[1, 2]", "[1, 2]x", step));
            assert!(!same("a", "", step));
        }
    }

    #[test]
    fn read_ahead_gives_every_byte_in_order_and_the_error() {
        let data: Vec<u8> = (0..3 * 4 * CHUNK + 17).map(|i| b"ab\n"[i % 3]).collect();
        let got = read_ahead(
            |p| p.copy_from(&data[..]),
            |r| {
                let mut out = Vec::new();
                r.read_to_end(&mut out).map(|_| out)
            },
        )
        .unwrap();
        assert!(got == data);
        let e = read_ahead(
            |p| p.copy_from(&b"ok \xff"[..]),
            |r| r.read_to_end(&mut Vec::new()),
        )
        .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        // The reading side may stop early: the producer ends quietly.
        let first = read_ahead(
            |p| p.copy_from(&data[..]),
            |r| {
                let mut b = [0u8; 4];
                r.read_exact(&mut b).map(|_| b)
            },
        )
        .unwrap();
        assert_eq!(&first, b"ab\na");
    }

    #[test]
    fn copies_trimmed_and_compares_bytes() {
        for step in [1, 3, 1 << 20] {
            let mut out = Vec::new();
            let n = copy_trimmed(Drip(b" \n[1, 2]\n \t", step), &mut out).unwrap();
            assert_eq!((n, out.as_slice()), (6, &b"[1, 2]"[..]));
            assert!(same_bytes(Drip(b"abc", step), Drip(b"abc", 2)).unwrap());
            assert!(!same_bytes(Drip(b"abc", step), Drip(b"abc ", 2)).unwrap());
            assert!(!same_bytes(Drip(b"abd", step), Drip(b"abc", 2)).unwrap());
        }
    }

    #[test]
    fn value_hash_is_value_equality() {
        let h = |s: &str| json_value_hash(s.as_bytes()).unwrap();
        assert_eq!(
            h(r#"{"a":1,"b":[true,null,"x"]}"#),
            h(" { \"b\" : [ true , null , \"\\u0078\" ] , \"a\" : 1 } ")
        );
        assert_ne!(h(r#"{"a":1}"#), h(r#"{"a":1.0}"#));
        assert_ne!(h(r#"[1,2]"#), h(r#"[2,1]"#));
        assert_ne!(h(r#"[[1],[2]]"#), h(r#"[[1,2]]"#));
        assert_ne!(h(r#"{"a":{"b":1}}"#), h(r#"{"a":{},"b":1}"#));
        assert!(json_value_hash(&b"[1,2] x"[..]).is_err());
    }

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        write_json_string(Drip(s.as_bytes(), 3), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn items(s: &str, step: usize) -> Option<Vec<serde_json::Value>> {
        let mut items = Vec::new();
        let ok = for_each_item(Drip(s.as_bytes(), step), |v: serde_json::Value| {
            items.push(v);
            true
        })
        .unwrap();
        ok.then_some(items)
    }

    #[test]
    fn for_each_item_reads_valid_arrays_only() {
        for step in [1, 2, 5, 1 << 20] {
            assert_eq!(items(" [ ] ", step), Some(vec![]));
            assert_eq!(
                items(r#"[1, "a,\"]", {"b":[2,3]}, [4], 12345]"#, step),
                Some(
                    serde_json::from_str::<Vec<serde_json::Value>>(
                        r#"[1, "a,\"]", {"b":[2,3]}, [4], 12345]"#
                    )
                    .unwrap()
                )
            );
            for bad in [
                "",
                " ",
                "{}",
                "[",
                "[1,]",
                "[,1]",
                "[1 2]",
                "[1]]",
                "[1] x",
                "[1}",
                r#"["a\"]"#,
                "[{]",
                "[\"x]",
                "[1,2",
                "[tru]",
                "[1e]",
            ] {
                assert_eq!(items(bad, step), None, "{bad:?} step {step}");
            }
        }
        // A number split across reads is one number.
        for step in 1..8 {
            assert_eq!(
                items("[12345678901234567890, 2.5e-3]", step),
                Some(vec![12345678901234567890u64.into(), 2.5e-3.into()])
            );
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            "[a-z,\\]\\[{}\"\\\\ ]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::vec(("[a-z\\]\\[,]{0,3}", inner), 0..4)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn for_each_item_reads_every_array_and_no_broken_one(
            items in prop::collection::vec(json_value(), 0..5),
            pretty in any::<bool>(),
            cut in any::<prop::sample::Index>(),
            step in 1usize..7,
        ) {
            let array = serde_json::Value::Array(items.clone());
            let text = if pretty { serde_json::to_string_pretty(&array) } else { serde_json::to_string(&array) }.unwrap();
            prop_assert_eq!(self::items(&text, step).expect("a valid array"), items.clone());
            // Cut short anywhere: never taken for a whole array.
            let at = cut.index(text.len());
            if let Some(short) = text.get(..at) {
                let whole = matches!(serde_json::from_str::<serde_json::Value>(short), Ok(serde_json::Value::Array(_)));
                prop_assert_eq!(self::items(short, step).is_some(), whole);
            }
        }

        #[test]
        fn for_each_item_agrees_with_serde(s in "[\\[\\]{}:, \"a\\\\0-9]{0,30}", step in 1usize..7) {
            let whole = serde_json::from_str::<serde_json::Value>(&s);
            let want = matches!(whole, Ok(serde_json::Value::Array(_)));
            prop_assert_eq!(items(&s, step).is_some(), want, "{:?}", s);
        }

        #[test]
        fn same_trimmed_is_trim_equality(a in "[ \\n\\ta-c\\[\\]]{0,40}", b in "[ \\n\\ta-c\\[\\]]{0,40}", step in 1usize..9) {
            prop_assert_eq!(same(&a, &b, step), a.trim_matches(|c| " \t\n\r".contains(c)) == b.trim_matches(|c| " \t\n\r".contains(c)));
            let padded = format!(" \n{a}\t ");
            prop_assert!(same(&a, &padded, step));
        }

        #[test]
        fn json_string_is_serde_json_s(s in "\\PC{0,40}|[\\x00-\\x1f\"\\\\]{0,10}") {
            prop_assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn value_hash_agrees_with_value_eq(a in "[\\[\\]{}:,\"a-b0-9 ]{0,30}", b in "[\\[\\]{}:,\"a-b0-9 ]{0,30}") {
            let (va, vb) = (serde_json::from_str::<serde_json::Value>(&a), serde_json::from_str::<serde_json::Value>(&b));
            if let (Ok(va), Ok(vb)) = (va, vb) {
                let (ha, hb) = (json_value_hash(a.as_bytes()).unwrap(), json_value_hash(b.as_bytes()).unwrap());
                prop_assert_eq!(va == vb, ha == hb);
            }
        }
    }
}
