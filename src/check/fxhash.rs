//! A small, fast, non-cryptographic hasher for the checks' internal maps (the Firefox/rustc
//! "Fx" multiply-rotate hash). The checks hash many short keys (cells, codes) per budget and
//! never iterate a map in an order that reaches output, so SipHash's DoS resistance buys
//! nothing here.
//!
//! Not for maps whose keys come from an adversary at scale, nor for anything persisted.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` using [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` using [`FxHasher`].
pub(crate) type FxHashSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The Fx hasher: each word is folded in with a rotate, xor and multiply.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        for (slot, byte) in tail.iter_mut().zip(chunks.remainder()) {
            *slot = *byte;
        }
        if !chunks.remainder().is_empty() {
            self.add(u64::from_le_bytes(tail));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keyed_by_strings_find_their_entries() {
        let mut m: FxHashMap<String, usize> = FxHashMap::default();
        for (i, k) in ["", "a", "2010101", "一般公共服务支出", "abcdefghi"]
            .iter()
            .enumerate()
        {
            m.insert((*k).to_string(), i);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.get("2010101"), Some(&2));
        assert_eq!(m.get("abcdefghi"), Some(&4));
        assert_eq!(m.get("abcdefgh"), None);
    }
}
