//! The examples `--help` prints after the flags.

pub(crate) const TEMPLATE_EXAMPLES: &str = "\
Examples:
  # The Dispatch chart with its defaults, as `helm install --name dispatch --namespace dispatch dispatch/dispatch`
  rudder template dispatch dispatch/dispatch -n dispatch | kubectl apply -f -

  # Argo CD autoscaling from the Dispatch docs
  rudder template dispatch dispatch/dispatch -n dispatch \\
    --set argo-cd.server.autoscaling.minReplicas=2 \\
    --set argo-cd.repoServer.autoscaling.minReplicas=3

  # Keys with dots: escape them, as with Helm
  rudder template dispatch dispatch/dispatch -n dispatch \\
    --set argo-cd.server.ingress.annotations.\"traefik\\.ingress\\.kubernetes\\.io\\/auth-type\"=\"\"

  # A values file, or the values block of a Konvoy addon
  rudder template dispatch dispatch/dispatch -n dispatch --values values.yaml
  rudder template dispatch dispatch/dispatch -n dispatch --from-konvoy cluster.yaml";

pub(crate) const INIT_EXAMPLES: &str = "\
Examples:
  # Install Dispatch into the current kubectl context (namespace dispatch)
  rudder init

  # MinIO in distributed mode, as in the Dispatch docs
  rudder init --set minio.mode=distributed --set minio.replicas=6

  # Manual replicas instead of autoscaling
  rudder init \\
    --set argo-cd.server.autoscaling.enabled=false \\
    --set argo-cd.repoServer.autoscaling.enabled=false \\
    --set argo-cd.server.replicas=2 \\
    --set argo-cd.repoServer.replicas=1

  # Another cluster: pick the kubectl context, watch two namespaces
  rudder init --kube-context prod --watch-namespace team-a --watch-namespace team-b

  # Look before applying
  rudder init --set argo-cd.konvoyDex.enabled=true --dry-run";

/// `rudder convert --help`'s examples.
pub(crate) const CONVERT_EXAMPLES: &str = "\
Examples:
  rudder convert ./ingress-nginx ./ingress-nginx-jinja
  rudder template web ./ingress-nginx-jinja   # the same bytes as ./ingress-nginx

The rudder chart's templates call the Go dialect's runtime helpers (__gf,
__geq, ...) wherever Go's rules differ from Jinja's, so the output is the
Helm chart's by construction; edit them into idiomatic Jinja as you go.
convert checks its work: it renders both charts with their defaults and
warns where they differ.";
