//go:build tools

// Package tools pins upstream's cmd/flagger: deploy/dev/servers/80-flagger.sh builds it with
// build_go (github.com/fluxcd/flagger/cmd/flagger). The Gateway API CRDs come from
// sigs.k8s.io/gateway-api, downloaded at build time (`go mod download`), not imported.
package tools

import (
	_ "github.com/fluxcd/flagger/cmd/flagger"
)
