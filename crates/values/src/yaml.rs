//! YAML (placeholder, being written).
