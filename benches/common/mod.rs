//! Shared by the benchmarks: generated inputs.

/// A values file of about `bytes` bytes: services with nested maps, lists,
/// numbers, bools and multi-line strings.
pub(crate) fn values_yaml(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 1024);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "service{i}:\n  enabled: true\n  replicas: {i}\n  image:\n    repository: quay.io/opsmxpublic/svc{i}\n    tag: \"1.{i}.0\"\n  resources:\n    limits: {{cpu: 500m, memory: 1Gi}}\n  args:\n  - --port=80{i}\n  - --verbose\n  config: |\n    line one {i}\n    line two\n"
        ));
        i += 1;
    }
    out
}
