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

/// The nodes from the top of the tree down to `node`, each found with its
/// parent's id by `look_up` (from a slice, or a query a level at a time);
/// empty when `node` is not found. A corrupt cycle ends the walk.
pub fn path_to<T, E>(
    node: i32,
    mut look_up: impl FnMut(i32) -> Result<Option<(T, Option<i32>)>, E>,
) -> Result<Vec<T>, E> {
    let (mut path, mut walked) = (Vec::new(), Vec::new());
    let mut at = Some(node);
    while let Some(id) = at.filter(|id| !walked.contains(id)) {
        let Some((found, parent)) = look_up(id)? else {
            break;
        };
        walked.push(id);
        path.push(found);
        at = parent;
    }
    path.reverse();
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(parents: &[(i32, Option<i32>)], node: i32) -> Vec<i32> {
        let found = |id| {
            let parent = parents.iter().find(|(of, _)| *of == id).map(|(_, p)| *p);
            Ok::<_, std::convert::Infallible>(parent.map(|parent| (id, parent)))
        };
        let Ok(path) = path_to(node, found);
        path
    }

    #[test]
    fn a_path_runs_from_the_top_down_to_the_node() {
        let parents = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (5, Some(6)),
            (6, Some(5)),
        ];
        assert_eq!(path(&parents, 3), [1, 2, 3]);
        assert_eq!(path(&parents, 1), [1]);
        assert!(path(&parents, 9).is_empty());
        assert_eq!(path(&parents, 5).len(), 2, "a cycle ends the walk");
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
