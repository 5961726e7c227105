//go:build tools

// Package tools pins upstream's cmd/helm: deploy/dev/servers/87-helm.sh builds it with build_go
// (helm.sh/helm/v3/cmd/helm). The chart tests (deploy/dev/src/helmChart.integration.test.ts) run it.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
