//! XWorkmate's storage generations (`generations.md`): what each version keeps
//! in the data dir. Generation A (≤ 0.6.1) is the one this crate writes and
//! recovers; the others are recognised, inspected and cleared the way their
//! own XWorkmate version does.

pub mod a;
