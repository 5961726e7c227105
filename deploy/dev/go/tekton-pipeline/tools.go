//go:build tools

// Package tools pins upstream's cmd/controller and its dependencies: deploy/dev/servers/60-tekton-pipelines.sh
// builds it as ./cmd/controller of this module, overlaid at build time with upstream's main.go plus one line.
package tools

import (
	_ "github.com/tektoncd/pipeline/cmd/controller"
)
