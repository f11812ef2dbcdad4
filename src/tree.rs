//! Trees kept as parent links (categories, areas).

/// `root` and every node under it, given each node's parent.
pub fn subtree(parents: &[(i32, Option<i32>)], root: i32) -> Vec<i32> {
    let mut ids = vec![root];
    // Breadth first over the parent links; each id is added once, so a
    // corrupt cycle cannot loop.
    let mut next = 0;
    while next < ids.len() {
        let parent = ids[next];
        for (id, of) in parents {
            if *of == Some(parent) && !ids.contains(id) {
                ids.push(*id);
            }
        }
        next += 1;
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subtree_holds_the_root_and_everything_below_once() {
        let parents = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, None),
            (5, Some(5)),
        ];
        assert_eq!(subtree(&parents, 1), [1, 2, 3]);
        assert_eq!(subtree(&parents, 4), [4]);
        assert_eq!(subtree(&parents, 5), [5]);
    }
}
