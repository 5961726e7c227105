//go:build tools

// Package tools pins upstream's cmd/kueue: deploy/dev/servers/85-kueue.sh builds it with build_go
// (sigs.k8s.io/kueue/cmd/kueue). The CRDs and webhook manifests are taken from the module at build
// time (config/components/crd/bases, config/components/webhook/manifests.yaml), not imported.
package tools

import (
	_ "sigs.k8s.io/kueue/cmd/kueue"
)
