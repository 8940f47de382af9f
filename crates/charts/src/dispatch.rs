//! `dispatch init`'s conventions, as `rudder init` applies them: the
//! release and addon names the Dispatch docs use, and Dispatch's own
//! `--watch-namespace` flag.

/// The release `dispatch init` installs (`helm install --name dispatch`).
pub const RELEASE_NAME: &str = "dispatch";
/// The bundled chart `dispatch init` installs.
pub const CHART: &str = "dispatch/dispatch";
/// The Konvoy addon whose `values: |` block `--from-konvoy` reads.
pub const ADDON: &str = "dispatch";

/// The `--set-json` entry for `--watch-namespace NS…`: the chart's
/// `dispatch.watchNamespaces` list. It goes with `--set-json`, so it sits
/// above `-f` and below `--set`, as Dispatch's own flag did.
pub fn watch_namespaces_set_json(namespaces: &[String]) -> Option<String> {
    if namespaces.is_empty() {
        return None;
    }
    let list = serde_json::to_string(namespaces).unwrap_or_default();
    Some(format!("dispatch.watchNamespaces={list}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_namespaces_become_one_json_list() {
        assert_eq!(watch_namespaces_set_json(&[]), None);
        assert_eq!(
            watch_namespaces_set_json(&["team-a".into(), "team \"b\"".into()]).as_deref(),
            Some(r#"dispatch.watchNamespaces=["team-a","team \"b\""]"#)
        );
    }
}
