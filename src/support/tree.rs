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

/// The nodes from the top of the tree down to `node`, given each node's
/// parent; empty when `node` is not in it. A corrupt cycle ends the walk.
pub fn path_to(parents: &[(i32, Option<i32>)], node: i32) -> Vec<i32> {
    let parent_of = |id: i32| parents.iter().find(|(of, _)| *of == id).map(|(_, p)| *p);
    let mut path = Vec::new();
    let mut at = Some(node);
    while let Some(id) = at {
        let Some(parent) = parent_of(id) else { break };
        if path.contains(&id) {
            break;
        }
        path.push(id);
        at = parent;
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_runs_from_the_top_down_to_the_node() {
        let parents = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (5, Some(6)),
            (6, Some(5)),
        ];
        assert_eq!(path_to(&parents, 3), [1, 2, 3]);
        assert_eq!(path_to(&parents, 1), [1]);
        assert!(path_to(&parents, 9).is_empty());
        assert_eq!(path_to(&parents, 5).len(), 2, "a cycle ends the walk");
    }

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
