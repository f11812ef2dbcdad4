//! Rows gathered by a key.

use std::collections::HashMap;
use std::hash::Hash;

/// `(key, value)` pairs gathered by key, each key's values in the order
/// they came.
pub fn grouped<K: Hash + Eq, V>(pairs: Vec<(K, V)>) -> HashMap<K, Vec<V>> {
    let mut groups: HashMap<K, Vec<V>> = HashMap::new();
    for (key, value) in pairs {
        groups.entry(key).or_default().push(value);
    }
    groups
}
