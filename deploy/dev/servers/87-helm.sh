# shellcheck shell=bash
# Helm (helm.sh/helm/v3): the CLI the chart tests use (deploy/dev/src/helmChart.integration.test.ts
# lints, renders and installs deploy/helm/kubemate-portal and deploy/helm/kubemate-target into the
# dev clusters with it). A tool, not a server: no process, `up` and `ready` do nothing. Part `helm`
# (needs `kubernetes`: what the charts are installed into).
#
# Built from the wrapper module go/helm (upstream's cmd/helm as is) with upstream's ldflags (Makefile):
# the version, and the Kubernetes version `helm template`/`lint` assume without a cluster, derived
# from the client-go the module resolves (v0.37 -> 1.37, as upstream's Makefile derives it).
register_server helm helm kubernetes
server_info helm "Helm" 175

HELM_VERSION="v3.22.0"
HELM_DIR="$BIN_ROOT/helm-$HELM_VERSION"

helm_build() {
  check_gomod_version helm helm.sh/helm/v3 "$HELM_VERSION"
  local cg kmaj kmin
  cg="$(sed -nE 's/^\s*k8s\.io\/client-go v0\.([0-9]+)\.[0-9]+.*/\1/p' "$DEV_DIR/go/helm/go.mod" | head -n 1)"
  [[ -n $cg ]] || die "helm: deploy/dev/go/helm/go.mod names no k8s.io/client-go v0.x version"
  kmaj=1; kmin="$cg"
  build_go helm "$HELM_VERSION" helm "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
-X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$kmaj -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kmin \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$kmaj -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kmin" \
    helm:helm.sh/helm/v3/cmd/helm
}

helm_up() { :; }
helm_servers() { :; }
helm_ready() { :; }

helm_details() {
  [[ -x $HELM_DIR/helm ]] || return 0
  jq -n --arg bin "$HELM_DIR/helm" --arg v "$HELM_VERSION" '{stack:{helm:{bin:$bin, version:$v}}}'
}
