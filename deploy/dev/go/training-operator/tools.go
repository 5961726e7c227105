//go:build tools

// Package tools pins upstream's cmd/training-operator.v1: deploy/dev/servers/86-training-operator.sh
// builds it with build_go (github.com/kubeflow/training-operator/cmd/training-operator.v1). The CRDs
// and the webhook manifest are taken from the module at build time (manifests/base/crds,
// manifests/base/webhook), not imported.
package tools

import (
	_ "github.com/kubeflow/training-operator/cmd/training-operator.v1"
)
